#include "routing.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <map>

namespace kb::kafka::client::detail {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

partition_retry::partition_retry(cluster& c, std::string what, std::vector<key> keys)
    : cluster_(c),
      what_(std::move(what)),
      keys_(std::move(keys)),
      budget_(c.config().retry, what_) {
    for (std::size_t i = 0; i < keys_.size(); ++i) pending_.push_back(i);
}

partition_retry::~partition_retry() {
    if (pending_.empty()) budget_.succeeded();  // logs a recovery after failures
}

asio::awaitable<void> partition_retry::before_attempt() {
    if (skip_backoff_) {
        skip_backoff_ = false;
    } else {
        if (attempts_ > 0) co_await backoff();
        ++attempts_;
    }
    co_await cluster_.refresh_if_stale();
}

asio::awaitable<void> partition_retry::backoff() {
    auto last = last_error_ ? last_error_
                            : std::make_exception_ptr(kb::error(error_class::retryable, "NOT_DONE",
                                                                what_ + ": not done"));
    co_await budget_.after_failure(last);
}

asio::awaitable<std::vector<partition_retry::route>> partition_retry::route_pending() {
    std::map<std::int32_t, route> by_leader;
    auto todo = std::move(pending_);
    pending_.clear();
    for (auto i : todo) {
        try {
            auto p = co_await cluster_.leader_of(keys_[i].first, keys_[i].second);
            auto& r = by_leader[p.leader];
            r.leader = p.leader;
            r.leader_epoch = p.leader_epoch;
            r.indices.push_back(i);
        } catch (...) {
            auto e = std::current_exception();
            if (kb::classify(e) != error_class::retryable) throw;
            last_error_ = e;
            pending_.push_back(i);
        }
    }
    std::vector<route> out;
    for (auto& [leader, r] : by_leader) out.push_back(std::move(r));
    co_return out;
}

bool partition_retry::accept_request(const route& r, const std::exception_ptr& error) {
    if (!error) return true;
    if (kb::classify(error) != error_class::retryable) std::rethrow_exception(error);
    // The broker may be gone: learn the new leaders before trying again.
    cluster_.mark_stale();
    last_error_ = error;
    pending_.insert(pending_.end(), r.indices.begin(), r.indices.end());
    return false;
}

bool partition_retry::accept_partition(std::size_t index, std::int16_t code,
                                       const std::string& context) {
    const auto kind = proto::classify_error(code);
    if (kind == proto::error_kind::none || kind == proto::error_kind::fatal) return true;
    if (kind == proto::error_kind::needs_metadata) cluster_.mark_stale();
    auto e = proto::make_error(code, context);
    retry_later(index, std::make_exception_ptr(
                           kb::error(error_class::retryable, e.code(), e.what(), e.why())));
    return false;
}

void partition_retry::retry_now(std::size_t index) {
    skip_backoff_ = true;
    pending_.push_back(index);
}

void partition_retry::retry_later(std::size_t index, std::exception_ptr error) {
    last_error_ = std::move(error);
    pending_.push_back(index);
}

}  // namespace kb::kafka::client::detail
