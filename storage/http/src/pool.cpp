#include <kb/storage/http/pool.hpp>

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>

namespace kb::storage::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;

namespace {

using request_message = bhttp::request<bhttp::span_body<const std::byte>>;

request_message make_message(const outgoing_request& req) {
    request_message msg{req.method, req.target, 11};
    for (const auto& [name, value] : req.headers) msg.set(name, value);
    msg.body() = boost::span<const std::byte>(req.body.data(), req.body.size());
    msg.prepare_payload();
    return msg;
}

// One request/response on an open stream. `lowest` carries the deadline.
template <class Stream>
awaitable<incoming_response> exchange_on(Stream& stream, beast::tcp_stream& lowest,
                                         beast::flat_buffer& buffer, const outgoing_request& req,
                                         std::chrono::milliseconds timeout) {
    auto msg = make_message(req);
    lowest.expires_after(timeout);
    co_await bhttp::async_write(stream, msg, use_awaitable);
    bhttp::response_parser<bhttp::vector_body<std::byte>> parser;
    parser.body_limit(req.body_limit);
    if (req.head) parser.skip(true);
    co_await bhttp::async_read(stream, buffer, parser, use_awaitable);
    lowest.expires_never();
    auto res = parser.release();
    incoming_response out;
    out.status = res.result_int();
    out.keep_alive = res.keep_alive();
    out.body = std::move(res.body());
    out.headers = std::move(static_cast<bhttp::fields&>(res.base()));
    co_return out;
}

// A server closing an idle keep-alive connection shows up as one of these on reuse.
bool is_stale(const boost::system::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::ssl::error::stream_truncated;
}

// After an error answer the next attempt goes out on a fresh connection (a proxy
// or load balancer in front may route it elsewhere). 404 is an ordinary answer.
bool is_failure(unsigned status) {
    return status >= 400 && status != 404;
}

void configure_tls(asio::ssl::context& ctx, const pool_options& o) {
    if (!o.tls) return;
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1);
    ctx.set_verify_mode(o.verify_tls ? asio::ssl::verify_peer : asio::ssl::verify_none);
    boost::system::error_code ec;
    ctx.set_default_verify_paths(ec);
    if (!o.ca_file.empty()) {
        ctx.load_verify_file(o.ca_file, ec);
        if (ec)
            throw kb::error(
                error_class::fatal, "InvalidCAFile",
                fmt::format("cannot load storage.ca_file '{}': {}", o.ca_file, ec.message()));
    }
}

}  // namespace

// One socket, plain or TLS, and its read buffer (which may hold bytes of the next response).
class connection {
  public:
    static awaitable<std::unique_ptr<connection>> open(asio::any_io_executor ex,
                                                       const pool_options& o,
                                                       asio::ssl::context& tls) {
        auto endpoints = co_await resolve(ex, o);
        beast::tcp_stream sock(ex);
        sock.expires_after(std::min(o.request_timeout, o.connect_timeout));
        co_await sock.async_connect(endpoints, use_awaitable);
        sock.socket().set_option(tcp::no_delay(true));
        auto c = std::unique_ptr<connection>(new connection);
        if (!o.tls) {
            c->plain_ = std::make_unique<beast::tcp_stream>(std::move(sock));
            c->plain_->expires_never();
            co_return c;
        }
        c->tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(sock), tls);
        co_await c->handshake(o);
        co_return c;
    }

    awaitable<incoming_response> exchange(const outgoing_request& req,
                                          std::chrono::milliseconds timeout) {
        if (plain_) co_return co_await exchange_on(*plain_, *plain_, buffer_, req, timeout);
        co_return co_await exchange_on(*tls_, beast::get_lowest_layer(*tls_), buffer_, req,
                                       timeout);
    }

    clock::time_point idle_since{};

  private:
    // Beast reads at most what the buffer has room for (but >= 512 bytes and <= 64 KiB);
    // a fresh flat_buffer would make every body read a 512-byte syscall.
    connection() { buffer_.reserve(64 * 1024); }

    // Name resolution under the connect deadline. The resolver completes with
    // its error as a value: `||` waits for the first *successful* operand, so
    // a thrown "host not found" used to wait out the whole deadline instead.
    static awaitable<tcp::resolver::results_type> resolve(asio::any_io_executor ex,
                                                          const pool_options& o) {
        tcp::resolver resolver(ex);
        asio::steady_timer deadline(ex, std::min(o.request_timeout, o.connect_timeout));
        auto port = std::to_string(o.port);
        auto done = co_await (resolver.async_resolve(o.host, port, asio::as_tuple(use_awaitable)) ||
                              deadline.async_wait(use_awaitable));
        if (done.index() == 1) throw boost::system::system_error(beast::error::timeout);
        auto [ec, results] = std::get<0>(std::move(done));
        if (ec) throw boost::system::system_error(ec);
        co_return results;
    }

    awaitable<void> handshake(const pool_options& o) {
        // SNI, so virtual hosts serve the right certificate.
        if (!SSL_set_tlsext_host_name(tls_->native_handle(), o.host.c_str()))
            throw boost::system::system_error(boost::system::error_code(
                static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
        if (o.verify_tls) tls_->set_verify_callback(asio::ssl::host_name_verification(o.host));
        co_await tls_->async_handshake(asio::ssl::stream_base::client, use_awaitable);
        beast::get_lowest_layer(*tls_).expires_never();
    }

    std::unique_ptr<beast::tcp_stream> plain_;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_;
    beast::flat_buffer buffer_;
};

// A slot in the pool, with or without an open connection yet; gives it back on destruction.
class http_pool::lease {
  public:
    lease(http_pool* pool, std::unique_ptr<connection> c) : pool_(pool), conn_(std::move(c)) {}
    lease(lease&& o) noexcept
        : pool_(std::exchange(o.pool_, nullptr)),
          conn_(std::move(o.conn_)),
          reusable_(o.reusable_) {}
    lease& operator=(lease&&) = delete;
    ~lease() {
        if (pool_ != nullptr) pool_->give_back(std::move(conn_), reusable_);
    }

    std::unique_ptr<connection>& conn() { return conn_; }
    void keep(bool reusable) { reusable_ = reusable; }

  private:
    http_pool* pool_;
    std::unique_ptr<connection> conn_;
    bool reusable_ = false;
};

struct http_pool::waiter {
    asio::steady_timer timer;
    bool notified = false;
};

http_pool::http_pool(asio::any_io_executor ex, pool_options opts)
    : ex_(std::move(ex)), opts_(std::move(opts)), tls_(asio::ssl::context::tls_client) {
    opts_.max_connections = std::max(1, opts_.max_connections);
    configure_tls(tls_, opts_);
}

http_pool::~http_pool() = default;

void http_pool::drop_expired_idle() {
    auto now = clock::now();
    while (!idle_.empty() && now - idle_.front()->idle_since > opts_.idle_timeout)
        idle_.pop_front();
}

awaitable<http_pool::lease> http_pool::acquire() {
    for (;;) {
        drop_expired_idle();
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            ++busy_;
            co_return lease(this, std::move(c));
        }
        if (busy_ < opts_.max_connections) {
            ++busy_;
            co_return lease(this, nullptr);
        }
        waiter w{asio::steady_timer(ex_, clock::time_point::max())};
        waiters_.push_back(&w);
        // Woken by give_back() (notified) or by cancellation of this coroutine.
        co_await w.timer.async_wait(asio::as_tuple(use_awaitable));
        std::erase(waiters_, &w);
        if (!w.notified) throw boost::system::system_error(asio::error::operation_aborted);
    }
}

void http_pool::give_back(std::unique_ptr<connection> c, bool reusable) noexcept {
    --busy_;
    if (c && reusable) {
        c->idle_since = clock::now();
        idle_.push_back(std::move(c));
    }
    if (!waiters_.empty()) {
        auto* w = waiters_.front();
        waiters_.pop_front();
        w->notified = true;
        w->timer.cancel();
    }
}

awaitable<incoming_response> http_pool::exchange(outgoing_request req) {
    for (int tries = 0;; ++tries) {
        auto l = co_await acquire();
        bool reused = l.conn() != nullptr;
        if (!reused) l.conn() = co_await connection::open(ex_, opts_, tls_);
        try {
            auto res = co_await l.conn()->exchange(req, opts_.request_timeout);
            l.keep(res.keep_alive && !is_failure(res.status));
            co_return res;
        } catch (const boost::system::system_error& e) {
            if (!reused || tries > 0 || !is_stale(e.code())) throw;
        }
        // The server closed it while idle; the rest of the idle set is likely stale too.
        idle_.clear();
        log::debug("storage.http", "idle connection to {} was closed by the server; reconnecting",
                   opts_.host);
    }
}

}  // namespace kb::storage::http
