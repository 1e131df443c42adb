#pragma once
// bounded_channel<T>: joins two pipeline stages on one shard.
//
// send() waits while `capacity` values are buffered (backpressure). The producer
// ends the stream with close() or fail(error); both are ordered after the values
// already sent, so the consumer sees every value, then std::nullopt (close) or the
// producer's exception (fail). cancel() tears the channel down at once from either
// side. Not thread-safe: both ends live on the same executor (shard).

#include <kb/runtime/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>

namespace kb::runtime {

template <class T>
class bounded_channel {
    using impl = boost::asio::experimental::channel<void(boost::system::error_code, T)>;

  public:
    bounded_channel(boost::asio::any_io_executor ex, std::size_t capacity) : ch_(ex, capacity) {}

    // Waits while the channel is full. Throws if the channel was cancelled.
    boost::asio::awaitable<void> send(T value) {
        co_await ch_.async_send(boost::system::error_code{}, std::move(value),
                                boost::asio::use_awaitable);
    }

    // Next value; std::nullopt after close(); rethrows the producer's error after fail().
    boost::asio::awaitable<std::optional<T>> receive() {
        auto [ec, value] =
            co_await ch_.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
        if (!ec) co_return std::optional<T>(std::move(value));
        if (is(ec, errc::end_of_stream)) co_return std::nullopt;
        if (is(ec, errc::upstream_failed) && failure_) std::rethrow_exception(failure_);
        throw boost::system::system_error(ec, "bounded_channel receive");
    }

    // End of stream, after the values already sent (waits for room like send()).
    boost::asio::awaitable<void> close() {
        co_await ch_.async_send(to_boost(errc::end_of_stream), T{}, boost::asio::use_awaitable);
    }

    // Carry an error downstream, after the values already sent.
    boost::asio::awaitable<void> fail(std::exception_ptr error) {
        failure_ = std::move(error);
        co_await ch_.async_send(to_boost(errc::upstream_failed), T{}, boost::asio::use_awaitable);
    }

    // Immediate teardown: pending and future operations on both ends fail.
    void cancel() {
        ch_.cancel();  // wakes blocked senders and receivers
        ch_.close();   // and refuses anything after
    }

    bool ready() const { return ch_.ready(); }

  private:
    impl ch_;
    std::exception_ptr failure_;
};

}  // namespace kb::runtime
