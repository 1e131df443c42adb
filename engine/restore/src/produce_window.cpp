#include "produce_window.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace kb::restore::detail {

namespace {

// Runs one Produce and reports it; parameters by value (detached coroutine).
boost::asio::awaitable<void> produce_one(
    kafka::client::producer* p, produce_job job,
    std::shared_ptr<runtime::bounded_channel<produce_done>> ch) {
    produce_done done;
    try {
        done.result = co_await p->produce(job.topic, job.partition, job.batches);
    } catch (...) {
        done.error = std::current_exception();
    }
    job.batches = {};  // free the bytes (and credit the budget) before waiting on the channel
    job.permit.reset();
    done.job = std::move(job);
    co_await ch->send(std::move(done));
}

}  // namespace

produce_window::produce_window(kafka::client::producer& p, boost::asio::any_io_executor ex,
                               int max_in_flight, done_fn on_done)
    : producer_(&p),
      ex_(ex),
      max_(max_in_flight),
      on_done_(std::move(on_done)),
      done_(std::make_shared<runtime::bounded_channel<produce_done>>(ex, max_in_flight)) {}

boost::asio::awaitable<void> produce_window::take_one() {
    auto d = co_await done_->receive();
    --in_flight_;
    if (!d) co_return;
    if (d->error) {
        if (!failure_) failure_ = d->error;
        co_return;
    }
    on_done_(*d);
}

boost::asio::awaitable<void> produce_window::submit(produce_job job) {
    while (in_flight_ >= max_) co_await take_one();
    if (failure_) {
        co_await drain();
        std::rethrow_exception(failure_);
    }
    ++in_flight_;
    boost::asio::co_spawn(ex_, produce_one(producer_, std::move(job), done_),
                          boost::asio::detached);
}

boost::asio::awaitable<void> produce_window::drain() {
    while (in_flight_ > 0) co_await take_one();
    if (failure_) std::rethrow_exception(failure_);
}

}  // namespace kb::restore::detail
