// Prometheus /metrics and /health over Beast, on shard 0.
#include "metrics_server.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace kb::backup {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;

struct metrics_server::impl {
    backup_job::state* st;
    tcp::acceptor acceptor;
    impl(backup_job::state& s, asio::any_io_executor ex) : st(&s), acceptor(ex) {}
};

namespace {

http::response<http::string_body> answer(backup_job::state& st,
                                         const http::request<http::string_body>& req) {
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.keep_alive(false);
    const auto& path = st.settings.metrics->path;
    auto target = std::string(req.target().substr(0, req.target().find('?')));
    if (req.method() != http::verb::get) {
        res.result(http::status::method_not_allowed);
        res.body() = "GET only\n";
    } else if (target == path) {
        res.set(http::field::content_type, "text/plain; version=0.0.4");
        res.body() = st.metrics.render();
    } else if (target == "/health") {
        bool failed = [&] {
            std::lock_guard lock(st.mutex);
            return st.first_error != nullptr;
        }();
        res.result(failed ? http::status::service_unavailable : http::status::ok);
        res.set(http::field::content_type, "application/json");
        res.body() = failed ? "{\"status\":\"failed\"}\n" : "{\"status\":\"ok\"}\n";
    } else {
        res.result(http::status::not_found);
        res.body() = "not found\n";
    }
    res.prepare_payload();
    return res;
}

awaitable<void> serve_one(backup_job::state& st, tcp::socket socket) {
    boost::beast::tcp_stream stream(std::move(socket));
    stream.expires_after(std::chrono::seconds(10));
    boost::beast::flat_buffer buffer;
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    auto [ec, n] =
        co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    auto res = answer(st, parser.get());
    co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> accept_loop(std::shared_ptr<metrics_server::impl> self) {
    for (;;) {
        auto [ec, socket] =
            co_await self->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (kb::is_cancellation(ec) || !self->acceptor.is_open()) co_return;
        if (ec) continue;
        asio::co_spawn(self->acceptor.get_executor(), serve_one(*self->st, std::move(socket)),
                       asio::detached);
    }
}

}  // namespace

std::unique_ptr<metrics_server> metrics_server::start(backup_job::state& st) {
    auto& m = *st.settings.metrics;
    auto ex = st.pool->executor(0);
    auto self = std::make_shared<impl>(st, ex);
    boost::system::error_code ec;
    auto address = asio::ip::make_address(m.address, ec);
    tcp::endpoint ep(address, m.port);
    if (!ec) self->acceptor.open(ep.protocol(), ec);
    if (!ec) self->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) self->acceptor.bind(ep, ec);
    if (!ec) self->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw kb::error(error_class::fatal, "METRICS_BIND",
                        "cannot serve metrics on " + m.address + ":" + std::to_string(m.port) +
                            ": " + ec.message());
    auto port = self->acceptor.local_endpoint().port();
    asio::co_spawn(ex, accept_loop(self), asio::detached);
    kb::log::info("backup", "metrics on http://{}:{}{} and /health", m.address, port, m.path);
    return std::unique_ptr<metrics_server>(new metrics_server(self, port));
}

void metrics_server::stop() {
    if (!impl_) return;
    auto self = std::move(impl_);
    asio::post(self->acceptor.get_executor(), asio::use_future([self] {
                   boost::system::error_code ignored;
                   self->acceptor.close(ignored);
               }))
        .get();
}

metrics_server::~metrics_server() {
    try {
        stop();
    } catch (...) {
    }
}

}  // namespace kb::backup
