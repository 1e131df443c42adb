#include "tcp_proxy.hpp"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <future>
#include <optional>
#include <set>
#include <stdexcept>

namespace kb::s3test {
namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

// Both ends of one proxied connection.
struct session {
    explicit session(tcp::socket s, asio::ssl::context* tls) : upstream(s.get_executor()) {
        if (tls != nullptr)
            secure.emplace(std::move(s), *tls);
        else
            plain.emplace(std::move(s));
    }
    tcp::socket& client_socket() { return secure ? secure->next_layer() : *plain; }
    void close() {
        boost::system::error_code ec;
        client_socket().close(ec);
        upstream.close(ec);
    }
    std::optional<tcp::socket> plain;
    std::optional<asio::ssl::stream<tcp::socket>> secure;
    tcp::socket upstream;
    long corrupt_at = -1;  // offset in the client-to-upstream stream, or -1
    bool mute = false;     // swallow the upstream's answers
};

// Copies one direction; flips the byte at `corrupt_at` of it when that is >= 0.
template <class From, class To>
awaitable<void> pump(From& from, To& to, long corrupt_at = -1) {
    std::array<char, 64 * 1024> buf;
    long seen = 0;
    for (;;) {
        auto n = co_await from.async_read_some(asio::buffer(buf), use_awaitable);
        if (corrupt_at >= seen && corrupt_at < seen + static_cast<long>(n))
            buf[static_cast<std::size_t>(corrupt_at - seen)] ^= 0x5a;
        seen += static_cast<long>(n);
        co_await asio::async_write(to, asio::buffer(buf.data(), n), use_awaitable);
    }
}

template <class Stream>
awaitable<void> swallow(Stream& from) {
    std::array<char, 64 * 1024> buf;
    for (;;) co_await from.async_read_some(asio::buffer(buf), use_awaitable);
}

}  // namespace

struct tcp_proxy::state {
    tcp_proxy* owner;
    std::string up_host;
    std::uint16_t up_port;
    std::shared_ptr<asio::ssl::context> tls;
    std::optional<tcp::acceptor> acceptor;
    std::set<std::shared_ptr<session>> sessions;
    int live = 0;
};

namespace {

template <class Client>
awaitable<void> forward(std::shared_ptr<tcp_proxy::state> st, std::shared_ptr<session> s,
                        Client& client) {
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    auto eps =
        co_await resolver.async_resolve(st->up_host, std::to_string(st->up_port), use_awaitable);
    co_await asio::async_connect(s->upstream, eps, use_awaitable);
    if (s->mute)
        co_await (pump(client, s->upstream, s->corrupt_at) || swallow(s->upstream));
    else
        co_await (pump(client, s->upstream, s->corrupt_at) || pump(s->upstream, client));
}

awaitable<void> serve(std::shared_ptr<tcp_proxy::state> st, std::shared_ptr<session> s,
                      bool blackhole) {
    try {
        if (s->secure)
            co_await s->secure->async_handshake(asio::ssl::stream_base::server, use_awaitable);
        if (blackhole) {
            if (s->secure)
                co_await swallow(*s->secure);
            else
                co_await swallow(*s->plain);
        } else if (s->secure) {
            co_await forward(st, s, *s->secure);
        } else {
            co_await forward(st, s, *s->plain);
        }
    } catch (const std::exception&) {
        // A closed end finishes the session; nothing to report.
    }
    s->close();
    st->sessions.erase(s);
    --st->live;
}

}  // namespace

tcp_proxy::tcp_proxy(std::string upstream_host, std::uint16_t upstream_port,
                     std::shared_ptr<asio::ssl::context> tls)
    : st_(std::make_shared<state>(
          state{this, std::move(upstream_host), upstream_port, tls, {}, {}, 0})),
      tls_(tls != nullptr) {
    thread_ = std::thread([this] {
        auto guard = asio::make_work_guard(io_);
        io_.run();
    });
    start();
}

tcp_proxy::~tcp_proxy() {
    stop();
    io_.stop();
    thread_.join();
}

std::string tcp_proxy::url() const {
    return fmt::format("{}://127.0.0.1:{}", tls_ ? "https" : "http", port_);
}

void tcp_proxy::on_io_thread(std::function<void()> f) {
    std::promise<void> done;
    asio::post(io_, [&] {
        try {
            f();
            done.set_value();
        } catch (...) {
            done.set_exception(std::current_exception());
        }
    });
    done.get_future().get();
}

void tcp_proxy::start() {
    on_io_thread([this] {
        auto st = st_;
        st->acceptor.emplace(io_);
        tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port_);
        st->acceptor->open(at.protocol());
        st->acceptor->set_option(tcp::acceptor::reuse_address(true));
        st->acceptor->bind(at);
        st->acceptor->listen();
        port_ = st->acceptor->local_endpoint().port();
        asio::co_spawn(io_, accept_loop(st), asio::detached);
    });
}

awaitable<void> tcp_proxy::accept_loop(std::shared_ptr<state> st) {
    auto* self = st->owner;
    for (;;) {
        auto [ec, sock] = co_await st->acceptor->async_accept(asio::as_tuple(use_awaitable));
        if (ec) co_return;  // stop() closed the listener
        ++self->accepted_;
        auto s = std::make_shared<session>(std::move(sock), st->tls.get());
        s->corrupt_at = self->corrupt_at_.exchange(-1);
        s->mute = self->mute_next_.exchange(false);
        st->sessions.insert(s);
        self->max_concurrent_ = std::max<int>(self->max_concurrent_, ++st->live);
        asio::co_spawn(self->io_, serve(st, s, self->blackhole_), asio::detached);
    }
}

void tcp_proxy::stop() {
    on_io_thread([this] {
        boost::system::error_code ec;
        if (st_->acceptor) st_->acceptor->close(ec);
        for (const auto& s : st_->sessions) s->close();
    });
}

self_signed make_self_signed(const std::string& dir) {
    self_signed out{dir + "/cert.pem", dir + "/key.pem"};
    auto cmd = fmt::format(
        "mkdir -p '{}' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
        "-nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
        "-keyout '{}' -out '{}' >/dev/null 2>&1",
        dir, out.key_file, out.cert_file);
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed: " + cmd);
    return out;
}

}  // namespace kb::s3test
