package demo.producer;

import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes orders {@code orders.first} .. {@code orders.first + orders.count - 1} to
 * {@code demo.topic} and exits. Each order is keyed by its id and carries its id, an
 * amount and the time it was created:
 * {@code {"id":12,"amount":37.50,"created":"2025-01-15T10:00:00.123Z"}}.
 * With {@code --orders.bad=true} the amounts are negative: the faulty events of the demo.
 */
@SpringBootApplication
public class ProducerApplication {
    private static final Logger log = LoggerFactory.getLogger(ProducerApplication.class);

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ProducerApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        System.exit(SpringApplication.exit(app.run(args)));
    }

    @Bean
    CommandLineRunner publishOrders(KafkaTemplate<String, String> kafka, @Value("${demo.topic}") String topic,
            @Value("${orders.first:1}") int first, @Value("${orders.count:50}") int count,
            @Value("${orders.bad:false}") boolean bad) {
        return args -> {
            for (int id = first; id < first + count; id++) {
                double amount = (5 + (id * 37) % 200 + 0.25 * (id % 4)) * (bad ? -1 : 1);
                String value = String.format(Locale.ROOT, "{\"id\":%d,\"amount\":%.2f,\"created\":\"%s\"}",
                        id, amount, Instant.now());
                kafka.send(topic, "order-" + id, value).get(); // one at a time, in id order
            }
            log.info("published orders {}..{} to {}{}", first, first + count - 1, topic,
                    bad ? " (BAD: negative amounts)" : "");
        };
    }
}
