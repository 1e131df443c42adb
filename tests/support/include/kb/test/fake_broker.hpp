#pragma once
// fake_broker: a one-node Kafka broker inside the test process, on 127.0.0.1:0.
//
// It speaks just what the backup and restore pipelines send (ApiVersions,
// Metadata, Fetch, ListOffsets, InitProducerId, Produce), decoding requests and
// encoding responses with the project's own protocol codec, over real sockets
// so the real client (connections, version negotiation, pipelining, retries) is
// what the test drives. Each partition is a log of whole v2 batches. Produce can
// be scripted to fail the n-th request with a Kafka error, and its responses can
// be held back (stepping: the client's requests pile up unanswered). A
// connection answers its requests in order, as Kafka does.
// Threading: serves on its own thread; every method is safe from the test thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kb::test {

using batch_bytes = std::vector<std::byte>;

class fake_broker {
  public:
    fake_broker();
    ~fake_broker();
    fake_broker(const fake_broker&) = delete;
    fake_broker& operator=(const fake_broker&) = delete;

    std::string bootstrap() const;  // "127.0.0.1:<port>"

    void add_topic(const std::string& name, int partitions);
    // Appends one v2 batch at the log end (its base offset rewritten); returns that offset.
    std::int64_t append(const std::string& topic, int partition, batch_bytes batch);
    // The partition's batches in log order (appended, or produced by a client).
    std::vector<batch_bytes> log(const std::string& topic, int partition) const;
    std::int64_t end_offset(const std::string& topic, int partition) const;

    // The `nth` Produce request (1-based, counted from the start) fails with `error_code`.
    void fail_produce(int nth, std::int16_t error_code);
    // While held, Produce requests are read but not answered.
    void hold_produce(bool held);
    int produce_requests() const;       // Produce requests read so far
    int max_produce_in_flight() const;  // most read and not yet answered at once
    int produce_in_flight() const;

    int fetch_requests() const;
    std::int64_t max_fetch_offset() const;  // highest offset a Fetch asked for

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace kb::test
