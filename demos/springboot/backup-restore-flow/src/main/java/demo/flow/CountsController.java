package demo.flow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /counts: {"state": "RUNNING", "total": N, "counts": {"key": count, ...}} read from
 * the app's state store (keys sorted). 503 while the app is not RUNNING (starting,
 * rebalancing or restoring its store), so a caller can poll until the answer is final.
 */
@RestController
class CountsController {
    private final StreamsBuilderFactoryBean streams;

    CountsController(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    @GetMapping("/counts")
    ResponseEntity<Map<String, Object>> counts() {
        KafkaStreams ks = streams.getKafkaStreams();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", ks == null ? "NOT_STARTED" : ks.state().name());
        if (ks == null || ks.state() != KafkaStreams.State.RUNNING) return ResponseEntity.status(503).body(body);
        ReadOnlyKeyValueStore<String, Long> store = ks.store(
                StoreQueryParameters.fromNameAndType(BackupRestoreApplication.STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, Long> counts = new TreeMap<>();
        long total = 0;
        try (KeyValueIterator<String, Long> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                counts.put(kv.key, kv.value);
                total += kv.value;
            }
        }
        body.put("total", total);
        body.put("counts", counts);
        return ResponseEntity.ok(body);
    }
}
