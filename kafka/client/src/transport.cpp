#include "transport.hpp"

#include "deadline.hpp"
#include "tls.hpp"

#include <kb/runtime/error.hpp>

#include <fmt/core.h>
#include <openssl/ssl.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace kb::kafka::client::detail {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

asio::awaitable<tcp::socket> connect_tcp(broker_address address) {
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    auto endpoints = co_await resolver.async_resolve(address.host, std::to_string(address.port),
                                                     asio::use_awaitable);
    tcp::socket socket(ex);
    co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    socket.set_option(asio::socket_base::keep_alive(true));
    co_return socket;
}

bool is_certificate_failure(const boost::system::error_code& ec) {
    return ec.category() == asio::error::get_ssl_category();
}

}  // namespace

transport::transport(tcp::socket socket) : plain_(std::move(socket)) {}

transport::transport(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls)
    : tls_context_(std::move(tls)) {
    tls_.emplace(std::move(socket), *tls_context_);
}

asio::awaitable<std::unique_ptr<transport>> transport::connect(
    asio::any_io_executor, broker_address address, std::shared_ptr<asio::ssl::context> tls,
    bool verify_hostname, std::chrono::milliseconds timeout) {
    auto what = fmt::format("connecting to {}", address.to_string());
    auto socket = co_await with_deadline(connect_tcp(address), timeout, what);
    std::unique_ptr<transport> t;
    if (tls)
        t = std::make_unique<transport>(std::move(socket), std::move(tls));
    else
        t = std::make_unique<transport>(std::move(socket));
    t->address_ = address;
    if (t->tls_) {
        co_await with_deadline(t->handshake(verify_hostname), timeout,
                               fmt::format("TLS handshake with {}", address.to_string()));
    }
    co_return t;
}

asio::awaitable<void> transport::handshake(bool verify_hostname) {
    const auto& host = address_.host;
    if (!is_ip_literal(host)) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
    if (verify_hostname) tls_->set_verify_callback(asio::ssl::host_name_verification(host));
    try {
        co_await tls_->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    } catch (const boost::system::system_error& e) {
        if (!is_certificate_failure(e.code())) throw;
        throw kb::error(error_class::fatal, "TLS_HANDSHAKE_FAILED",
                        fmt::format("TLS handshake with {} failed: {}{}", address_.to_string(),
                                    e.code().message(),
                                    verify_hostname ? " (hostname verification is on)" : ""));
    }
}

tcp::socket& transport::socket() noexcept {
    return tls_ ? tls_->next_layer() : *plain_;
}

asio::awaitable<void> transport::write(std::vector<asio::const_buffer> buffers) {
    if (tls_)
        co_await asio::async_write(*tls_, buffers, asio::use_awaitable);
    else
        co_await asio::async_write(*plain_, buffers, asio::use_awaitable);
}

asio::awaitable<void> transport::read_exact(asio::mutable_buffer buffer) {
    if (tls_)
        co_await asio::async_read(*tls_, buffer, asio::use_awaitable);
    else
        co_await asio::async_read(*plain_, buffer, asio::use_awaitable);
}

void transport::close() noexcept {
    boost::system::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
}

bool transport::is_open() const noexcept {
    return tls_ ? tls_->next_layer().is_open() : plain_->is_open();
}

}  // namespace kb::kafka::client::detail
