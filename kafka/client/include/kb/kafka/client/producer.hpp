#pragma once
// producer: writes pre-encoded record batches with acks=all.
//
// Idempotent by default: init() obtains a producer id and epoch (InitProducerId), and
// every batch is restamped with that id, epoch and the partition's next sequence number
// (in the encoded request, the one copy a batch makes on its way to the socket; the
// caller's buffer is shared and immutable), so a retried request can never write a
// batch twice. Several produce() calls per partition may be
// in flight (up to max_in_flight, 5 as Kafka's idempotence allows); each partition
// always uses the same connection so requests reach the broker in sequence order.
// Transient failures (leader moved, connection lost) are retried with the same
// sequence numbers. After a non-retriable failure the partition's sequence has a gap:
// call init() again (a new producer id) before producing more.
//
// The transactional bit is cleared when restamping (this is not a transactional
// producer); control batches must not be passed in.
//
// Threading: lives on the cluster's executor; not thread-safe.

#include <kb/kafka/client/cluster.hpp>
#include <kb/runtime/buffer.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace kb::kafka::client {

struct producer_options {
    bool idempotent = true;
    std::chrono::milliseconds ack_timeout{30'000};  // Produce timeout_ms (broker side)
    int max_in_flight = 5;                          // per partition
};

struct produce_result {
    std::int64_t base_offset = -1;  // offset of the first record written (-1: a duplicate)
    std::int64_t log_append_time = -1;
    std::int64_t log_start_offset = -1;
    std::int32_t records = 0;  // records in the batches sent
};

class producer {
  public:
    explicit producer(cluster& c, producer_options options = {});
    ~producer();
    producer(const producer&) = delete;
    producer& operator=(const producer&) = delete;

    // Gets a producer id and epoch (idempotent mode; a no-op otherwise) and resets every
    // partition's sequence to 0. Must not be called while produce() calls are running.
    boost::asio::awaitable<void> init();

    // Appends `batches` (one or more whole magic-2 batches) to topic-partition. Throws
    // kb::error: MESSAGE_TOO_LARGE (fatal) naming the size and the settings to raise;
    // not_found for an unknown topic; the Kafka error otherwise.
    boost::asio::awaitable<produce_result> produce(std::string topic, std::int32_t partition,
                                                   runtime::shared_buffer batches);

    std::int64_t producer_id() const noexcept { return producer_id_; }
    std::int16_t producer_epoch() const noexcept { return producer_epoch_; }

    struct partition_state;  // sequence numbers, admission order, in-flight accounting
    // The caller's batches (unchanged) and the sequences they were admitted with; our
    // producer fields are stamped into each request's own bytes as it is encoded.
    struct stamped_batch {
        runtime::shared_buffer bytes;
        std::int32_t first_sequence = -1;
        std::int32_t records = 0;
        bool needs_stamp = true;
    };

  private:
    std::shared_ptr<partition_state> state_for(const std::string& topic, std::int32_t partition);
    boost::asio::awaitable<produce_result> settle(std::shared_ptr<partition_state> st,
                                                  std::string topic, std::int32_t partition,
                                                  stamped_batch batch, std::string where);

    cluster& cluster_;
    producer_options options_;
    std::int64_t producer_id_ = -1;
    std::int16_t producer_epoch_ = -1;
    std::map<std::pair<std::string, std::int32_t>, std::shared_ptr<partition_state>> partitions_;
};

}  // namespace kb::kafka::client
