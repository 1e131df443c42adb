"""Transactional workload for transactions_compaction_test.sh (confluent-kafka, i.e.
librdkafka: a Kafka client this project did not write).

  txn_producer.py BOOTSTRAP TOPIC ID produce     committed, aborted and plain records
                                                 interleaved over partitions 0 and 1, two
                                                 transactions that span many backup
                                                 segments, one committed long after its
                                                 data, then one transaction left OPEN
                                                 (the process exits without ending it)
  txn_producer.py BOOTSTRAP TOPIC ID end-open    fences that open transaction, which makes
                                                 the broker abort it

`produce` prints one JSON line: what a read_committed consumer must see once the open
transaction has been aborted (records per partition), how many records it left open and
how many plain records follow it (hidden from read_committed while it is open).
"""
import json
import os
import sys
import time

from confluent_kafka import KafkaException, Producer

bootstrap, topic, run_id, phase = sys.argv[1:5]


def txn_producer(name):
    p = Producer({"bootstrap.servers": bootstrap, "transactional.id": f"{run_id}-{name}",
                  "transaction.timeout.ms": 120000, "linger.ms": 0})
    p.init_transactions(30)
    return p


def send(p, partition, key, value, headers=None):
    p.produce(topic, key=key, value=value, partition=partition, headers=headers)


committed = {0: 0, 1: 0}


def batch(p, tag, count, keep, size=0, tombstone_every=0):
    """`count` records to each partition, flushed so other producers' batches follow."""
    for i in range(count):
        for part in (0, 1):
            value = None if tombstone_every and i % tombstone_every == 0 else (
                f"{tag}-{i}-" + "x" * size).encode()
            send(p, part, f"{tag}-k{i}".encode(), value, [("src", tag.encode()), ("src", None)])
            if keep:
                committed[part] += 1
    p.flush(30)


def interleaved_rounds(a, b, plain):
    for r in range(6):
        a.begin_transaction()
        batch(a, f"a{r}", 5, r % 2 == 0, tombstone_every=4)
        batch(plain, f"p{r}", 3, True)
        b.begin_transaction()
        batch(b, f"b{r}", 4, r % 3 != 0)
        batch(a, f"a{r}x", 2, r % 2 == 0)
        (a.commit_transaction if r % 2 == 0 else a.abort_transaction)(30)
        batch(plain, f"q{r}", 2, True)
        (b.abort_transaction if r % 3 == 0 else b.commit_transaction)(30)


def long_transactions(a, b, plain):
    """Data across many 64 KiB backup segments; the marker lands in a later segment."""
    a.begin_transaction()
    b.begin_transaction()
    for i in range(8):
        batch(a, f"long-abort{i}", 10, False, size=3000)
        batch(b, f"long-commit{i}", 10, True, size=3000)
        batch(plain, f"between{i}", 1, True)
    a.abort_transaction(30)
    b.commit_transaction(30)


def late_commit(a, plain):
    """A transaction whose COMMIT comes a second and ~200 KB of other records after its
    data: a restore up to a time between them must find the marker in segments it does
    not otherwise read."""
    a.begin_transaction()
    batch(a, "late", 3, True)
    time.sleep(1.2)
    for i in range(7):
        batch(plain, f"filler{i}", 10, True, size=3000)
    a.commit_transaction(30)


def produce():
    a, b = txn_producer("a"), txn_producer("b")
    plain = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0})
    batch(plain, "first", 3, True)
    interleaved_rounds(a, b, plain)
    long_transactions(a, b, plain)
    late_commit(a, plain)
    batch(plain, "before-open", 2, True)
    c = txn_producer("open")
    c.begin_transaction()
    batch(c, "open", 3, False)
    batch(plain, "after-open", 4, True)  # past the last stable offset: restored
    print(json.dumps({"read_committed": committed, "open_records": 6, "after_open_records": 8}),
          flush=True)
    os._exit(0)  # no EndTxn: the transaction stays open on the broker


def end_open():
    # A new producer with the same transactional.id fences the old one; the
    # coordinator aborts its open transaction before InitProducerId succeeds.
    try:
        txn_producer("open")
    except KafkaException as e:
        sys.exit(f"init_transactions failed: {e}")


{"produce": produce, "end-open": end_open}[phase]()
