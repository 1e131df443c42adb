#!/usr/bin/env python3
"""The fault suite's own Kafka client (confluent-kafka, not kafka-backup).

  kafka_tool.py produce BOOTSTRAP TOPIC PARTITIONS MB SEED [MAX_VALUE]  random records
  kafka_tool.py foreign BOOTSTRAP TOPIC PARTITION COUNT       COUNT marked foreign records
  kafka_tool.py check   BOOTSTRAP SOURCE TARGET [FOREIGN]     compare TARGET with SOURCE
  kafka_tool.py create  BOOTSTRAP TOPIC PARTITIONS            create a topic (8 MB records)
  kafka_tool.py delete  BOOTSTRAP TOPIC...                    delete topics that exist
  kafka_tool.py count   BOOTSTRAP TOPIC                       records up to the end offsets
(The Java CLI tools take seconds per call; these take a fraction.)

`check` decides on its own reading of both topics, never on kafka-backup's output:
per partition the same number of records, in the same order, each with the same key,
sha256 of the value, headers (order and duplicates kept), timestamp type and
timestamp. Records carrying the header `kb-foreign` are someone else's: they are left
out of the comparison, and there must be exactly FOREIGN of them, each intact.
It prints one line, "exact: ..." (exit 0) or "WRONG: ..." (exit 1).
"""
import hashlib
import random
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

FOREIGN = "kb-foreign"
MAX_MSG = 8 << 20


def produce(bootstrap, topic, partitions, mb, seed, max_value=1 << 20):
    rng = random.Random(int(seed))
    p = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": MAX_MSG + 4096,
                  "linger.ms": rng.choice([0, 5, 50]), "batch.size": rng.choice([16384, 65536, 1000000]) if int(max_value) >= 1 << 20 else 16384,
                  "enable.idempotence": True,
                  "compression.type": rng.choice(["none", "lz4", "zstd", "gzip", "snappy"])})
    now = int(time.time() * 1000)
    left, i = int(float(mb) * (1 << 20)), 0
    while left > 0:
        # Mostly small records with a few large ones, so batches differ in shape.
        size = rng.choice([0, 1, 10, 100, 1000, 5000]) if rng.random() < 0.97 else rng.randint(1 << 14, max(1 << 14, int(max_value)))
        value = None if rng.random() < 0.02 else rng.randbytes(size)
        key = None if rng.random() < 0.1 else b"k%d-" % i + rng.randbytes(rng.randint(0, 16))
        headers = [("h%d" % rng.randint(0, 2), None if rng.random() < 0.2 else rng.randbytes(rng.randint(0, 20)))
                   for _ in range(rng.choice([0, 0, 1, 2, 3]))]
        # Timestamps in the last three days, not in order (within the default retention).
        ts = now - rng.randint(0, 3 * 86400 * 1000)
        while True:
            try:
                p.produce(topic, value=value, key=key, headers=headers, timestamp=ts,
                          partition=rng.randrange(int(partitions)))
                break
            except BufferError:
                p.poll(0.1)
        p.poll(0)
        left -= size + 50
        i += 1
    if p.flush(120) != 0:
        sys.exit("produce: records left unsent")
    print(i)


def foreign(bootstrap, topic, partition, count):
    p = Producer({"bootstrap.servers": bootstrap})
    for i in range(int(count)):
        p.produce(topic, key=b"foreign-%d" % i, value=b"written by someone else %d" % i,
                  headers=[(FOREIGN, b"1")], partition=int(partition))
    if p.flush(60) != 0:
        sys.exit("foreign: records left unsent")


def create(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    new = NewTopic(topic, int(partitions), 1, config={"max.message.bytes": str(MAX_MSG)})
    admin.create_topics([new])[topic].result(60)


def delete(bootstrap, *topics):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    existing = set(admin.list_topics(timeout=30).topics)
    gone = [t for t in topics if t in existing]
    for f in admin.delete_topics(gone).values() if gone else []:
        try:
            f.result(60)
        except KafkaException:
            pass  # deleted meanwhile: nothing to do


def count(bootstrap, topic):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "kb-faults-checker"})
    meta = c.list_topics(topic, timeout=30).topics[topic]
    total = 0
    if meta.error is None:
        for p in meta.partitions:
            low, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=30)
            total += high
    c.close()
    print(total)


def read_topic(bootstrap, topic):
    """{partition: [record fingerprint, ...]} in offset order, up to the high watermarks."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "kb-faults-checker",
                  "enable.auto.commit": False, "fetch.max.bytes": 64 << 20,
                  "max.partition.fetch.bytes": 16 << 20, "isolation.level": "read_committed"})
    meta = c.list_topics(topic, timeout=30).topics[topic]
    if meta.error is not None:
        sys.exit("WRONG: cannot read topic %s: %s" % (topic, meta.error))
    out, ends = {}, {}
    assign = []
    for p in sorted(meta.partitions):
        low, high = c.get_watermark_offsets(TopicPartition(topic, p), timeout=30)
        out[p] = []
        if high > low:
            ends[p] = high
            assign.append(TopicPartition(topic, p, low))
    c.assign(assign)
    deadline = time.time() + 300
    while ends and time.time() < deadline:
        for m in c.consume(500, 1.0):
            if m.error():
                continue
            p = m.partition()
            headers = tuple((k, None if v is None else hashlib.sha256(v).hexdigest()[:16])
                            for k, v in (m.headers() or []))
            value = None if m.value() is None else hashlib.sha256(m.value()).hexdigest()
            out[p].append((m.key(), value, headers, m.timestamp()))
            if m.offset() + 1 >= ends.get(p, 0):
                ends.pop(p, None)
        # A partition whose last offsets are transaction markers never reaches `high`:
        # stop once its position got there.
        for tp in c.position([TopicPartition(topic, p) for p in list(ends)]):
            if tp.offset >= ends[tp.partition]:
                ends.pop(tp.partition, None)
    c.close()
    if ends:
        sys.exit("WRONG: timed out reading %s (partitions %s)" % (topic, sorted(ends)))
    return out


def is_foreign(rec):
    return any(k == FOREIGN for k, _ in rec[2])


def check(bootstrap, source, target, want_foreign=0):
    src, dst = read_topic(bootstrap, source), read_topic(bootstrap, target)
    if sorted(src) != sorted(dst):
        return "WRONG: %s has partitions %s, %s has %s" % (source, sorted(src), target, sorted(dst))
    foreign_seen = 0
    for p in sorted(src):
        ours = [r for r in dst[p] if not is_foreign(r)]
        foreign_seen += len(dst[p]) - len(ours)
        if len(ours) != len(src[p]):
            return "WRONG: partition %d: %d records in %s, %d in %s" % (p, len(src[p]), source, len(ours), target)
        for i, (a, b) in enumerate(zip(src[p], ours)):
            if a != b:
                what = [n for n, x, y in zip(("key", "value", "headers", "timestamp"), a, b) if x != y]
                return "WRONG: partition %d record #%d differs in %s" % (p, i, ",".join(what))
    if foreign_seen != int(want_foreign):
        return "WRONG: %d foreign records in %s, %s were written" % (foreign_seen, target, want_foreign)
    total = sum(len(v) for v in src.values())
    return "exact: %d records in %d partitions%s" % (
        total, len(src), ", %d foreign records untouched" % foreign_seen if foreign_seen else "")


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "produce":
        produce(*args)
    elif cmd == "foreign":
        foreign(*args)
    elif cmd == "create":
        create(*args)
    elif cmd == "delete":
        delete(*args)
    elif cmd == "count":
        count(*args)
    elif cmd == "check":
        line = check(*args)
        print(line)
        return 0 if line.startswith("exact") else 1
    else:
        sys.exit("unknown command " + cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
