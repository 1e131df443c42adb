#pragma once
// produce_window: keeps up to `max_in_flight` Produce requests of one partition task
// in flight. submit() waits for a free slot (the backpressure towards the reader),
// each completion reports the target base offset of its records through `on_done`.
// A failed request makes the next submit()/drain() throw, after the others landed.
// Lives on one shard; drain() must be awaited before destruction.

#include <kb/kafka/client/producer.hpp>
#include <kb/runtime/buffer.hpp>
#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/channel.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace kb::restore::detail {

// Source offsets (in record order) that one request carries: runs of consecutive offsets.
struct source_run {
    std::int64_t first = 0;
    std::int64_t count = 0;
};

struct produce_job {
    std::string topic;
    std::int32_t partition = 0;
    runtime::shared_buffer batches;
    std::vector<source_run> runs;
    std::uint64_t records = 0;
    std::uint64_t bytes_hint = 0;  // batch bytes, for progress (the buffer is freed early)
    // Pays for the frame the batch came from and the copies made to send it; dropped
    // with the bytes once the request is answered.
    std::shared_ptr<runtime::byte_permit> permit;
};

struct produce_done {
    produce_job job;
    kafka::client::produce_result result;
    std::exception_ptr error;
};

class produce_window {
  public:
    using done_fn = std::function<void(const produce_done&)>;
    produce_window(kafka::client::producer& p, boost::asio::any_io_executor ex, int max_in_flight,
                   done_fn on_done);

    boost::asio::awaitable<void> submit(produce_job job);
    boost::asio::awaitable<void> drain();

  private:
    boost::asio::awaitable<void> take_one();

    kafka::client::producer* producer_;
    boost::asio::any_io_executor ex_;
    int max_;
    int in_flight_ = 0;
    done_fn on_done_;
    std::shared_ptr<runtime::bounded_channel<produce_done>> done_;
    std::exception_ptr failure_;
};

}  // namespace kb::restore::detail
