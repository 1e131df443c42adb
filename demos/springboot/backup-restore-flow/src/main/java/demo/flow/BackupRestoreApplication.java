package demo.flow;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Counts events per key: {@code events} -> count by key -> {@code events_agg}.
 *
 * <p>The counts live in the state store {@value #STORE} (backed by a changelog topic
 * the app creates, {@code <application-id>-event-counts-changelog}); GET /counts reads
 * them ({@link CountsController}), and every update is logged and written to
 * {@code events_agg}. Because the counts are derived from {@code events} alone, a
 * backup of {@code events} is enough to rebuild them after the cluster is wiped.
 */
@SpringBootApplication
@EnableKafkaStreams
public class BackupRestoreApplication {
    static final String STORE = "event-counts";
    private static final Logger log = LoggerFactory.getLogger(BackupRestoreApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(BackupRestoreApplication.class, args);
    }

    // Leave the consumer group when the app stops, so the group can be deleted (or its
    // offsets reset) right away: Kafka Streams otherwise stays a member until its session
    // times out. (spring-kafka's setLeaveGroupOnClose uses the older close option, which
    // only removes static members.) Runs before the factory bean's own stop.
    @Bean
    SmartLifecycle closeStreamsLeavingGroup(StreamsBuilderFactoryBean factory) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
            }

            @Override
            public void stop() {
                KafkaStreams streams = factory.getKafkaStreams();
                if (streams != null)
                    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                            .withTimeout(Duration.ofSeconds(20)));
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return factory.getPhase() + 1;
            }
        };
    }

    @Bean
    KStream<String, String> countEventsPerKey(StreamsBuilder builder,
            @Value("${demo.input-topic}") String input, @Value("${demo.output-topic}") String output) {
        KStream<String, String> events = builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()));
        events.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(STORE))
                .toStream()
                .peek((key, count) -> log.info("count {} = {}", key, count))
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        return events;
    }
}
