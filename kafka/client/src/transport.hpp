#pragma once
// transport: one TCP or TLS byte stream to a broker.
//
// Hides the two stream types behind read/write awaitables so the connection code
// is written once. Connect and TLS handshake run under the connect deadline;
// reads and writes have none of their own (the connection's request timers close
// the transport when a response is late, which aborts any pending I/O).
// Lives on one executor; not thread-safe.

#include <kb/kafka/client/config.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace kb::kafka::client::detail {

class transport {
  public:
    // Resolves, connects (TCP_NODELAY, SO_KEEPALIVE) and, when `tls` is set, runs the
    // handshake with SNI and hostname verification (unless disabled). Throws kb::error:
    // retryable for network failures and timeouts, fatal for certificate failures.
    static boost::asio::awaitable<std::unique_ptr<transport>> connect(
        boost::asio::any_io_executor ex, broker_address address,
        std::shared_ptr<boost::asio::ssl::context> tls, bool verify_hostname,
        std::chrono::milliseconds timeout);

    explicit transport(boost::asio::ip::tcp::socket socket);
    transport(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> tls);

    boost::asio::awaitable<void> write(std::vector<boost::asio::const_buffer> buffers);
    boost::asio::awaitable<void> read_exact(boost::asio::mutable_buffer buffer);
    // Closes the socket (a TLS close_notify is skipped: the broker does not need it,
    // and waiting for its reply would add a round trip to every shutdown).
    void close() noexcept;
    bool is_open() const noexcept;
    const broker_address& address() const noexcept { return address_; }

  private:
    boost::asio::ip::tcp::socket& socket() noexcept;
    boost::asio::awaitable<void> handshake(bool verify_hostname);

    broker_address address_;
    std::shared_ptr<boost::asio::ssl::context> tls_context_;
    std::optional<boost::asio::ip::tcp::socket> plain_;
    std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
};

}  // namespace kb::kafka::client::detail
