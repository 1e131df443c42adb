package demo;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The offset-reset demo's two programs in one jar.
 *
 * <pre>
 *   produce --per-partition M     writes M payments to every partition of the topic
 *   consume --stop-at N           reads with group payments-processor, processes every
 *                                 record below offset N once, commits N and exits
 * </pre>
 *
 * Each processed record is printed as one line, {@code processed payments-P@OFFSET id=...},
 * to stdout and to the --log file, so a run can be compared with what was expected.
 * Common options: --bootstrap-servers (default $KAFKA_BOOTSTRAP_SERVERS or
 * localhost:9092), --topic (default payments), --group (default payments-processor).
 */
public final class DemoOffsetReset {
    private final Map<String, String> opts;

    private DemoOffsetReset(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("produce") || args[0].equals("consume"))) {
            System.err.println("usage: java -jar offset-reset-verify.jar produce --per-partition M"
                    + " | consume --stop-at N [--log FILE] [--bootstrap-servers HOST:PORT]"
                    + " [--topic payments] [--group payments-processor]");
            System.exit(2);
        }
        DemoOffsetReset demo = new DemoOffsetReset(parse(args));
        int rc = args[0].equals("produce") ? demo.produce() : demo.consume();
        System.exit(rc);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option, got " + args[i]);
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    private String opt(String name, String fallback) {
        return opts.getOrDefault(name, fallback);
    }

    private String bootstrap() {
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return opt("bootstrap-servers", env != null ? env : "localhost:9092");
    }

    private String topic() {
        return opt("topic", "payments");
    }

    // Payments go to explicit partitions so that offset K of partition P is always
    // payment pay-P-K: the log lines of the two consumer runs can then be checked exactly.
    private int produce() {
        int perPartition = Integer.parseInt(opt("per-partition", "100"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            List<PartitionInfo> parts = producer.partitionsFor(topic());
            for (PartitionInfo info : parts) {
                for (int k = 0; k < perPartition; k++) {
                    String id = String.format("pay-%d-%03d", info.partition(), k);
                    String value = String.format("{\"id\":\"%s\",\"amount\":%d.%02d}", id, 10 + k % 90, k % 100);
                    producer.send(new ProducerRecord<>(topic(), info.partition(), id, value));
                }
            }
            producer.flush();
            System.out.printf("produced %d payments to each of the %d partitions of %s%n",
                    perPartition, parts.size(), topic());
        }
        return 0;
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, opt("group", "payments-processor"));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // Offsets are committed by hand, only for records that were processed.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        return new KafkaConsumer<>(p);
    }

    // Processes records below --stop-at on every partition, then commits and leaves the
    // group (so an offset reset may run: groups with active members are refused).
    private int consume() throws IOException {
        long stopAt = Long.parseLong(opt("stop-at", "100"));
        long idleLimitMs = Long.parseLong(opt("idle-timeout-ms", "30000"));
        String logPath = opt("log", null);
        try (KafkaConsumer<String, String> consumer = newConsumer();
                PrintWriter log = logPath == null ? null : new PrintWriter(new FileWriter(logPath, false))) {
            Set<TopicPartition> all = new HashSet<>();
            for (PartitionInfo info : consumer.partitionsFor(topic()))
                all.add(new TopicPartition(topic(), info.partition()));
            consumer.subscribe(List.of(topic()));
            Set<TopicPartition> done = new HashSet<>();
            int processed = 0;
            long lastProgress = System.currentTimeMillis();
            while (done.size() < all.size()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= stopAt || done.contains(tp)) continue;
                    String line = String.format("processed %s-%d@%d id=%s", r.topic(), r.partition(), r.offset(), r.key());
                    System.out.println(line);
                    if (log != null) log.println(line);
                    processed++;
                    commit.put(tp, new OffsetAndMetadata(r.offset() + 1));
                }
                if (!commit.isEmpty()) {
                    consumer.commitSync(commit);
                    lastProgress = System.currentTimeMillis();
                }
                for (TopicPartition tp : consumer.assignment()) {
                    if (!done.contains(tp) && consumer.position(tp) >= stopAt) {
                        // Records past N may have been fetched: commit exactly N, not beyond.
                        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(stopAt)));
                        consumer.pause(List.of(tp));
                        done.add(tp);
                    }
                }
                if (System.currentTimeMillis() - lastProgress > idleLimitMs) {
                    System.err.printf("nothing to process for %d ms; partitions done: %s%n", idleLimitMs, done);
                    return 1;
                }
            }
            if (log != null) log.flush();
            printCommitted(consumer, all, processed);
        }
        return 0;
    }

    private void printCommitted(KafkaConsumer<String, String> consumer, Set<TopicPartition> all, int processed) {
        List<TopicPartition> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(sorted));
        StringBuilder sb = new StringBuilder();
        for (TopicPartition tp : sorted) {
            OffsetAndMetadata om = committed.get(tp);
            sb.append(String.format(" %s-%d=%s", tp.topic(), tp.partition(), om == null ? "none" : om.offset()));
        }
        System.out.printf("%s done: processed %d records; committed offsets:%s%n", Instant.now(), processed, sb);
    }
}
