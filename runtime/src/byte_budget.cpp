#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/core.h>
#include <algorithm>

namespace kb::runtime {

// A coroutine waiting for bytes. It sleeps on a timer that lives on its own
// executor; a grant posts the timer's cancel() to that executor, so the timer is
// only ever touched by the thread that runs it.
struct byte_budget::waiter {
    std::size_t bytes;
    boost::asio::steady_timer timer;
    bool granted = false;  // guarded by byte_budget::mutex_
};

byte_permit::byte_permit(byte_permit&& o) noexcept
    : budget_(std::move(o.budget_)), bytes_(std::exchange(o.bytes_, 0)) {}

byte_permit& byte_permit::operator=(byte_permit&& o) noexcept {
    if (this != &o) {
        release();
        budget_ = std::move(o.budget_);
        bytes_ = std::exchange(o.bytes_, 0);
    }
    return *this;
}

void byte_permit::shrink_to(std::size_t bytes) {
    if (bytes >= bytes_ || !budget_) return;
    budget_->give_back(bytes_ - bytes);
    bytes_ = bytes;
}

void byte_permit::release() noexcept {
    if (budget_ && bytes_ > 0) budget_->give_back(bytes_);
    budget_.reset();
    bytes_ = 0;
}

std::shared_ptr<byte_budget> byte_budget::make(std::string name, std::size_t capacity) {
    return std::shared_ptr<byte_budget>(new byte_budget(std::move(name), capacity));
}

byte_budget::byte_budget(std::string name, std::size_t capacity)
    : name_(std::move(name)), capacity_(capacity), available_(capacity) {}

void byte_budget::check_fits(std::size_t bytes) const {
    if (bytes <= capacity_) return;
    throw error(error_class::fatal, "BUDGET_EXCEEDED",
                fmt::format("memory budget '{}' is {} bytes but {} bytes were requested at once; "
                            "raise the budget (--memory-budget) or lower the request size",
                            name_, capacity_, bytes));
}

std::optional<byte_permit> byte_budget::try_acquire(std::size_t bytes) {
    check_fits(bytes);
    std::lock_guard lock(mutex_);
    if (!waiters_.empty() || available_ < bytes) return std::nullopt;
    available_ -= bytes;
    peak_in_use_ = std::max(peak_in_use_, capacity_ - available_);
    return byte_permit(shared_from_this(), bytes);
}

boost::asio::awaitable<byte_permit> byte_budget::acquire(std::size_t bytes) {
    if (auto permit = try_acquire(bytes)) co_return std::move(*permit);
    auto ex = co_await boost::asio::this_coro::executor;
    auto w = std::make_shared<waiter>(waiter{bytes, boost::asio::steady_timer(ex)});
    w->timer.expires_at(boost::asio::steady_timer::time_point::max());
    {
        std::lock_guard lock(mutex_);
        waiters_.push_back(w);
        grant_waiters_locked();  // bytes may have come back since try_acquire
    }
    co_await w->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    std::unique_lock lock(mutex_);
    if (w->granted) co_return byte_permit(shared_from_this(), bytes);
    // Woken without a grant: the coroutine was cancelled. Leave the queue.
    std::erase(waiters_, w);
    grant_waiters_locked();
    lock.unlock();
    throw boost::system::system_error(boost::asio::error::operation_aborted,
                                      "byte_budget '" + name_ + "' acquire cancelled");
}

void byte_budget::give_back(std::size_t bytes) noexcept {
    std::lock_guard lock(mutex_);
    available_ += bytes;
    grant_waiters_locked();
}

// FIFO: the head waiter is served first so a large request is not starved by small ones.
void byte_budget::grant_waiters_locked() {
    while (!waiters_.empty() && waiters_.front()->bytes <= available_) {
        auto w = std::move(waiters_.front());
        waiters_.pop_front();
        available_ -= w->bytes;
        peak_in_use_ = std::max(peak_in_use_, capacity_ - available_);
        w->granted = true;
        boost::asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
    }
}

std::size_t byte_budget::available() const {
    std::lock_guard lock(mutex_);
    return available_;
}

std::size_t byte_budget::peak_in_use() const {
    std::lock_guard lock(mutex_);
    return peak_in_use_;
}

}  // namespace kb::runtime
