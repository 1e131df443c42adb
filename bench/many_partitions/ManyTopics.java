// Creates the many-partition workload of bench/many_partitions/run.sh in one JVM:
// TOPICS topics named PREFIX-00000.., the first TWO_PARTITION of them with two
// partitions and the rest with one, then RECORDS records of BYTES bytes into
// every partition. Usage: java -cp 'libs/*' ManyTopics.java BOOTSTRAP PREFIX
// TOPICS TWO_PARTITION RECORDS BYTES [delete]  (RECORDS 0: create the topics only)
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class ManyTopics {
    public static void main(String[] a) throws Exception {
        String bootstrap = a[0], prefix = a[1];
        int topics = Integer.parseInt(a[2]), twoPartition = Integer.parseInt(a[3]);
        int records = Integer.parseInt(a[4]), bytes = Integer.parseInt(a[5]);
        boolean delete = a.length > 6 && a[6].equals("delete");
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < topics; i++) names.add(String.format("%s-%05d", prefix, i));
        try (Admin admin = Admin.create(p)) {
            if (delete) {
                admin.deleteTopics(names).all().get();
                return;
            }
            List<NewTopic> create = new ArrayList<>();
            for (int i = 0; i < topics; i++)
                create.add(new NewTopic(names.get(i), i < twoPartition ? 2 : 1, (short) 1));
            admin.createTopics(create).all().get();
        }
        if (records == 0) return;
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "20");
        Random r = new Random(42);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < topics; i++)
                for (int part = 0; part < (i < twoPartition ? 2 : 1); part++)
                    for (int n = 0; n < records; n++) {
                        byte[] v = new byte[bytes];
                        for (int k = 0; k < bytes; k++) v[k] = (byte) ('a' + r.nextInt(26));
                        producer.send(new ProducerRecord<>(names.get(i), part, null, v));
                    }
            producer.flush();
        }
    }
}
