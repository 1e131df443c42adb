package demo;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The point-in-time-restore demo: a Kafka Streams app and the producer that feeds it.
 *
 * <pre>
 *   streams                          run the app: orders -> filter/map -> orders_enriched
 *   produce --first I --count C      write orders I..I+C-1 ("--buggy true": prices in cents)
 * </pre>
 *
 * The topology drops test orders (customer "test-bot") and enriches the others with
 * their total and a tier. Kafka Streams gives each output record the timestamp of the
 * order it came from, so a restore of both topics up to a time T keeps exactly the
 * results of the orders written up to T.
 *
 * Options: --bootstrap-servers (default $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092),
 * --input (orders), --output (orders_enriched), --application-id (orders-streams).
 */
public final class DemoKafkaStreamsPITR {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\"?([^\",}]*)\"?");
    private final Map<String, String> opts;

    private DemoKafkaStreamsPITR(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("streams") || args[0].equals("produce"))) {
            System.err.println("usage: java -jar pitr-restore.jar streams | produce --first I --count C"
                    + " [--buggy true] [--bootstrap-servers HOST:PORT] [--input orders]"
                    + " [--output orders_enriched] [--application-id orders-streams]");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        DemoKafkaStreamsPITR demo = new DemoKafkaStreamsPITR(opts);
        if (args[0].equals("produce")) demo.produce();
        else demo.runStreams();
    }

    private String opt(String name, String fallback) {
        return opts.getOrDefault(name, fallback);
    }

    private String bootstrap() {
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return opt("bootstrap-servers", env != null ? env : "localhost:9092");
    }

    // --- the Streams app ---------------------------------------------------------

    static Topology topology(String input, String output) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .filter((id, order) -> !order.contains("\"customer\":\"test-bot\""))
                .mapValues(DemoKafkaStreamsPITR::enrich)
                .peek((id, enriched) -> System.out.println("enriched " + id + " " + enriched))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return b.build();
    }

    // {"id":7,"customer":"alice","item":"book","qty":2,"price":12.50}
    //   -> the same fields plus "total" (qty x price) and "tier" (gold from 100 up).
    static String enrich(String order) {
        Map<String, String> f = new HashMap<>();
        Matcher m = FIELD.matcher(order);
        while (m.find()) f.put(m.group(1), m.group(2));
        double total = Integer.parseInt(f.getOrDefault("qty", "0")) * Double.parseDouble(f.getOrDefault("price", "0"));
        String tier = total >= 100 ? "gold" : "standard";
        return order.substring(0, order.lastIndexOf('}'))
                + String.format(Locale.ROOT, ",\"total\":%.2f,\"tier\":\"%s\"}", total, tier);
    }

    private void runStreams() throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, opt("application-id", "orders-streams"));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("orders-streams").toString());
        // Commit the consumed offsets every second, so what the app has done is visible
        // to kafka-consumer-groups (and to a running continuous backup) quickly.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        KafkaStreams streams = new KafkaStreams(topology(opt("input", "orders"), opt("output", "orders_enriched")), p);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println("streams state " + before + " -> " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) stopped.countDown();
        });
        // Just after the topics were created (or restored) the first metadata may not list
        // them yet: try again with a new thread rather than stop the app.
        streams.setUncaughtExceptionHandler(e -> e instanceof MissingSourceTopicException
                || e.getCause() instanceof MissingSourceTopicException
                ? StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD
                : StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        // SIGTERM/Ctrl-C: commit what was processed and leave the group.
        // Leave the group on the way out (Kafka Streams otherwise stays a member until its
        // session times out, and a restore refuses to move a group with members), and do
        // not wait forever if the topics were deleted under the app.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(20)));
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }

    // --- the order producer ------------------------------------------------------

    private void produce() {
        int first = Integer.parseInt(opt("first", "1"));
        int count = Integer.parseInt(opt("count", "100"));
        boolean buggy = Boolean.parseBoolean(opt("buggy", "false"));
        String[] customers = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan"};
        String[] items = {"book", "lamp", "mug", "desk", "pen"};
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int id = first; id < first + count; id++) {
                // Every tenth order is a test order, which the app filters out.
                String customer = id % 10 == 0 ? "test-bot" : customers[id % customers.length];
                int qty = 1 + id % 4;
                double price = 5 + (id * 7) % 40 + 0.5;
                if (buggy) price *= 100; // the faulty release writes cents where euros were meant
                String value = String.format(Locale.ROOT,
                        "{\"id\":%d,\"customer\":\"%s\",\"item\":\"%s\",\"qty\":%d,\"price\":%.2f}",
                        id, customer, items[id % items.length], qty, price);
                producer.send(new ProducerRecord<>(opt("input", "orders"), String.format("order-%04d", id), value));
            }
            producer.flush();
        }
        System.out.printf("produced orders %d..%d%s%n", first, first + count - 1, buggy ? " (buggy: prices in cents)" : "");
    }
}
