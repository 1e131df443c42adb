package demo.consumer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code demo.topic} in group {@code demo.group} and logs every order it
 * processes, one line each:
 * {@code processed order id=12 amount=37.50 partition=1 offset=4}, and
 * {@code INVALID order id=55 amount=-120.00 ...} for a negative amount. Offsets are
 * committed after each batch of records (spring-kafka's default), and on shutdown.
 */
@SpringBootApplication
public class ConsumerApplication {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ConsumerApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.run(args);
    }

    @Component
    static class OrderListener {
        private static final Logger log = LoggerFactory.getLogger(OrderListener.class);
        private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
        private static final Pattern AMOUNT = Pattern.compile("\"amount\":(-?[0-9.]+)");

        @KafkaListener(topics = "${demo.topic}", groupId = "${demo.group}")
        void onOrder(ConsumerRecord<String, String> r) {
            String id = field(ID, r.value());
            String amount = field(AMOUNT, r.value());
            boolean valid = !amount.startsWith("-");
            log.info("{} order id={} amount={} partition={} offset={}", valid ? "processed" : "INVALID",
                    id, amount, r.partition(), r.offset());
        }

        private static String field(Pattern p, String json) {
            Matcher m = p.matcher(json);
            return m.find() ? m.group(1) : "?";
        }
    }
}
