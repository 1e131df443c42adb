#!/usr/bin/env python3
"""Backup and restore of a topic, driven and checked from Python (confluent-kafka).

1. produce 200 JSON orders (keys, a header, timestamps) to `orders`, keeping them in memory;
2. run `kafka-backup backup --config backup.yaml` with subprocess.run();
3. delete `orders` and create it again, empty;
4. run `kafka-backup restore --config restore.yaml`;
5. consume everything and compare with the list in memory: same partition, offset,
   key, value, header and timestamp for every record. Exit 1 on any difference.

Environment: KAFKA_BOOTSTRAP_SERVERS, S3_ENDPOINT, DEMO_BUCKET (as set by
`eval "$(scripts/env.sh up)"`, DEMO_BUCKET defaulting to KB_TEST_BUCKET);
KAFKA_BACKUP, the command that runs kafka-backup (default: `kafka-backup` on PATH);
DEMO_CONFIG_BOOTSTRAP, the broker as that command reaches it (default KAFKA_BOOTSTRAP_SERVERS);
DEMO_PREFIX, put before the topic name and backup id (default empty).
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

BOOTSTRAP = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
# The broker as kafka-backup reaches it (with docker compose: from inside the network).
CONFIG_BOOTSTRAP = os.environ.get("DEMO_CONFIG_BOOTSTRAP") or BOOTSTRAP
PREFIX = os.environ.get("DEMO_PREFIX", "")
TOPIC = PREFIX + "orders"
BACKUP_ID = PREFIX + "orders-py"
STORAGE_PREFIX = PREFIX + "demos/backup-restore-py"
KAFKA_BACKUP = shlex.split(os.environ.get("KAFKA_BACKUP", "kafka-backup"))
COUNT = 200
VERIFY_GROUP = PREFIX + "py-demo-verify"  # reads the restored topic; deleted at the end

STORAGE = f"""storage:
  backend: s3
  bucket: {os.environ.get("DEMO_BUCKET") or os.environ["KB_TEST_BUCKET"]}
  prefix: {STORAGE_PREFIX}
  endpoint: {os.environ["S3_ENDPOINT"]}
  path_style: true
"""


def step(text):
    print(f"\n== {text}", flush=True)


def fail(text):
    print(f"DEMO FAILED: {text}", file=sys.stderr)
    sys.exit(1)


def recreate_topic(admin, partitions=3):
    if TOPIC in admin.list_topics(timeout=10).topics:
        admin.delete_topics([TOPIC])[TOPIC].result()
        while TOPIC in admin.list_topics(timeout=10).topics:
            time.sleep(0.2)
    admin.create_topics([NewTopic(TOPIC, partitions, 1)])[TOPIC].result()
    # Creation is acknowledged by the controller before every broker serves the topic:
    # wait until its metadata shows each partition with a leader.
    deadline = time.time() + 30
    while time.time() < deadline:
        topic = admin.list_topics(TOPIC, timeout=10).topics.get(TOPIC)
        if topic and not topic.error and len(topic.partitions) == partitions and \
                all(p.leader >= 0 for p in topic.partitions.values()):
            return
        time.sleep(0.2)
    fail(f"topic {TOPIC} was created but has no leaders after 30 s")


def produce():
    """Produces COUNT orders; returns them as {(partition, offset): record}."""
    sent = {}

    def delivered(err, msg, record):
        if err:
            fail(f"produce failed: {err}")
        sent[(msg.partition(), msg.offset())] = record

    producer = Producer({"bootstrap.servers": BOOTSTRAP, "enable.idempotence": True})
    for i in range(1, COUNT + 1):
        order = {"order_id": f"ORD-{i:04d}", "customer": f"CUST-{i * 37 % 50:03d}",
                 "amount": round(5 + (i * 7919 % 50000) / 100, 2), "currency": "EUR"}
        record = {"key": order["order_id"].encode(), "value": json.dumps(order).encode(),
                  "headers": [("source", b"python-demo")], "timestamp": 1736935200000 + i * 1000}
        producer.produce(TOPIC, key=record["key"], value=record["value"],
                         headers=record["headers"], timestamp=record["timestamp"],
                         on_delivery=lambda err, msg, r=record: delivered(err, msg, r))
    producer.flush(30)
    return sent


def record_of(msg):
    return {"key": msg.key(), "value": msg.value(), "headers": msg.headers(),
            "timestamp": msg.timestamp()[1]}


def consume_all(expected):
    """Reads the topic from the start until `expected` records arrived (or 30 s)."""
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": VERIFY_GROUP,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([TOPIC])
    got, deadline = {}, time.time() + 30
    while len(got) < expected and time.time() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            fail(f"consume failed: {msg.error()}")
        got[(msg.partition(), msg.offset())] = record_of(msg)
    consumer.close()
    return got


def kafka_backup(*args):
    """Runs kafka-backup with subprocess.run(); stops the demo if it fails."""
    cmd = KAFKA_BACKUP + list(args)
    print("$ " + " ".join(shlex.quote(a) for a in cmd), flush=True)
    result = subprocess.run(cmd, capture_output=True, text=True)
    print(result.stdout, end="")
    if result.returncode != 0:
        print(result.stderr, end="", file=sys.stderr)
        fail(f"kafka-backup {args[0]} exited with {result.returncode}")


def write_config(workdir, name, text):
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    with tempfile.TemporaryDirectory() as workdir:
        os.chmod(workdir, 0o755)  # kafka-backup may run as another user (docker compose)
        backup_yaml = write_config(workdir, "backup.yaml", f"""mode: backup
backup_id: {BACKUP_ID}
source:
  bootstrap_servers: [{CONFIG_BOOTSTRAP}]
  topics:
    include: ["{TOPIC}"]
{STORAGE}""")
        restore_yaml = write_config(workdir, "restore.yaml", f"""mode: restore
backup_id: {BACKUP_ID}
target:
  bootstrap_servers: [{CONFIG_BOOTSTRAP}]
  topics:
    include: ["{TOPIC}"]
{STORAGE}""")

        step(f"produce {COUNT} JSON orders to {TOPIC} (3 partitions) with confluent-kafka")
        recreate_topic(admin)
        original = produce()
        if len(original) != COUNT:
            fail(f"{len(original)} of {COUNT} orders delivered")
        print(f"   {len(original)} orders delivered, kept in memory")

        step("kafka-backup backup --config backup.yaml (subprocess.run)")
        kafka_backup("backup", "--config", backup_yaml, "--no-progress", "--log-level", "warn")

        step(f"delete {TOPIC} and create it again, empty")
        recreate_topic(admin)

        step("kafka-backup restore --config restore.yaml (subprocess.run)")
        kafka_backup("restore", "--config", restore_yaml, "--no-progress", "--log-level", "warn")

        step("consume everything and compare with the orders in memory")
        restored = consume_all(COUNT)
        print(f"   {len(restored)} records consumed")
        if len(restored) != COUNT:
            fail(f"expected {COUNT} records after the restore, consumed {len(restored)}")
        for where, record in sorted(original.items()):
            if restored.get(where) != record:
                fail(f"record at partition {where[0]} offset {where[1]} differs: "
                     f"{record} != {restored.get(where)}")
        print("   every order is back at its partition and offset, with the same key, value,"
              " header and timestamp")
        admin.delete_topics([TOPIC])[TOPIC].result()
        admin.delete_consumer_groups([VERIFY_GROUP])[VERIFY_GROUP].result()
    print(f"PASS: {COUNT} orders backed up and restored, identical")


if __name__ == "__main__":
    main()
