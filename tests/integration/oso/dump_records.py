"""Every record of a topic, read with confluent-kafka (librdkafka: a client this
project did not write), as JSON lines sorted by partition and offset:

  [partition, offset, timestamp, key_hex|null, value_hex|null, [[header, value_hex|null], ...]]

  dump_records.py BOOTSTRAP TOPIC
"""
import json
import sys
import uuid

from confluent_kafka import Consumer, TopicPartition

bootstrap, topic = sys.argv[1:3]


def hexed(b):
    return None if b is None else b.hex()


consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"dump-{uuid.uuid4()}",
                     "enable.auto.commit": False, "auto.offset.reset": "earliest",
                     "enable.partition.eof": True})
meta = consumer.list_topics(topic, timeout=10).topics[topic]
ends = {}
for p in meta.partitions:
    low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
    if high > low:
        ends[p] = high
consumer.assign([TopicPartition(topic, p, 0) for p in ends])
rows, done = [], set()
while len(done) < len(ends):
    m = consumer.poll(10)
    if m is None:
        sys.exit(f"timed out reading {topic}: partitions done {sorted(done)} of {sorted(ends)}")
    if m.error():
        if m.error().code() == -191:  # _PARTITION_EOF
            done.add(m.partition())
            continue
        sys.exit(f"error reading {topic}: {m.error()}")
    headers = [[k, hexed(v)] for k, v in (m.headers() or [])]
    rows.append([m.partition(), m.offset(), m.timestamp()[1], hexed(m.key()), hexed(m.value()), headers])
    if m.offset() + 1 >= ends[m.partition()]:
        done.add(m.partition())
consumer.close()
for r in sorted(rows, key=lambda r: (r[0], r[1])):
    print(json.dumps(r))
