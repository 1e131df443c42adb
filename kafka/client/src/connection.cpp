#include <kb/kafka/client/connection.hpp>

#include "tls.hpp"
#include "transport.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/core.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace kb::kafka::client {
namespace asio = boost::asio;
using runtime::shared_buffer;

struct connection::pending {
    explicit pending(const asio::any_io_executor& ex, protocol::api_key k, std::int16_t v)
        : timer(ex), key(k), version(v) {}
    asio::steady_timer timer;  // the deadline; cancelled early when the answer is in
    protocol::api_key key;
    std::int16_t version;
    bool done = false;
    shared_buffer response;
    std::exception_ptr error;
};

connector::connector(client_config config) : config_(std::move(config)) {
    config_.validate();
    if (uses_tls(config_.security.protocol)) tls_ = detail::make_tls_context(config_.security.tls);
}

connector::~connector() = default;

connection::connection(std::shared_ptr<const connector> connector, broker_address address,
                       std::int32_t node_id, std::unique_ptr<detail::transport> transport,
                       asio::any_io_executor executor)
    : connector_(std::move(connector)),
      address_(std::move(address)),
      node_id_(node_id),
      transport_(std::move(transport)),
      executor_(std::move(executor)) {}

connection::~connection() {
    if (transport_) transport_->close();
}

std::string connection::describe_peer() const {
    if (node_id_ < 0) return address_.to_string();
    return fmt::format("{} (broker {})", address_.to_string(), node_id_);
}

asio::awaitable<std::shared_ptr<connection>> connection::open(std::shared_ptr<const connector> conn,
                                                              broker_address address,
                                                              std::int32_t node_id) {
    auto ex = co_await asio::this_coro::executor;
    const auto& cfg = conn->config();
    auto tls = std::static_pointer_cast<asio::ssl::context>(conn->tls_context());
    std::unique_ptr<detail::transport> transport;
    try {
        transport = co_await detail::transport::connect(
            ex, address, tls, cfg.security.tls.verify_hostname, cfg.connect_timeout);
    } catch (const boost::system::system_error& e) {
        if (kb::is_cancellation(e.code())) throw;
        throw kb::error(
            error_class::retryable, "BROKER_UNREACHABLE",
            fmt::format("cannot reach Kafka at {}: {}", address.to_string(), e.code().message()),
            reason::broker_unreachable);
    }
    auto c =
        std::make_shared<connection>(std::move(conn), address, node_id, std::move(transport), ex);
    asio::co_spawn(ex, run_reader(c), asio::detached);
    try {
        co_await c->negotiate_versions();
        co_await c->authenticate();
    } catch (...) {
        c->abort();
        throw;
    }
    kb::log::debug("kafka.connection", "connected to {}", c->describe_peer());
    co_return c;
}

std::optional<protocol::version_range> connection::broker_range(protocol::api_key key) const {
    auto index = static_cast<std::size_t>(key);
    if (index >= broker_ranges_.size()) return std::nullopt;
    return broker_ranges_[index];
}

std::optional<std::int16_t> connection::try_version_for(protocol::api_key key) const {
    auto range = broker_range(key);
    if (!range) return std::nullopt;
    return protocol::negotiate(key, *range);
}

std::int16_t connection::version_for(protocol::api_key key) const {
    if (auto v = try_version_for(key)) return *v;
    throw kb::error(error_class::fatal, "UNSUPPORTED_VERSION",
                    fmt::format("broker {} does not support {}", describe_peer(),
                                protocol::unsupported_api_reason(key, broker_range(key))));
}

protocol::byte_vector connection::frame_request(
    protocol::api_key key, std::int16_t version, std::int32_t correlation_id,
    const std::function<void(protocol::writer&)>& body) const {
    protocol::writer w;
    const auto size_pos = w.reserve_int32();
    protocol::write_request_header(w, key, version, correlation_id, config().client_id);
    body(w);
    w.patch_int32(size_pos, static_cast<std::int32_t>(w.size() - size_pos - 4));
    return w.take();
}

asio::awaitable<shared_buffer> connection::send(protocol::api_key key, std::int16_t version,
                                                std::function<void(protocol::writer&)> encode_body,
                                                std::chrono::milliseconds extra_timeout) {
    if (!is_usable()) std::rethrow_exception(lost_error(broken_reason_));
    const std::int32_t id = next_correlation_id_++;
    if (next_correlation_id_ == INT32_MAX) next_correlation_id_ = 1;
    auto p = std::make_shared<pending>(executor_, key, version);
    write_queue_.push_back(frame_request(key, version, id, encode_body));
    pending_.emplace(id, p);
    start_writer();

    const auto timeout = config().request_timeout + extra_timeout;
    p->timer.expires_after(timeout);
    auto [ec] = co_await p->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (p->done) {
        if (p->error) std::rethrow_exception(p->error);
        co_return std::move(p->response);
    }
    pending_.erase(id);
    if (kb::is_cancellation(ec))  // our caller was cancelled
        throw boost::system::system_error(ec, "kafka request cancelled");
    auto late = std::make_exception_ptr(
        kb::error(error_class::retryable, "REQUEST_TIMED_OUT",
                  fmt::format("{} request to {} got no response within {} ms",
                              protocol::api_name(key), describe_peer(), timeout.count())));
    fail_all(late);  // the stream may still deliver the answer; start afresh
    std::rethrow_exception(late);
}

void connection::start_writer() {
    if (writing_ || broken_) return;
    writing_ = true;
    asio::co_spawn(executor_, run_writer(shared_from_this()), asio::detached);
}

asio::awaitable<void> connection::run_writer(std::shared_ptr<connection> self) {
    try {
        while (!self->write_queue_.empty() && !self->broken_) {
            // Everything queued goes out in one gathered write: pipelined requests
            // share syscalls and TCP segments.
            std::deque<protocol::byte_vector> frames;
            frames.swap(self->write_queue_);
            std::vector<asio::const_buffer> buffers;
            for (const auto& f : frames) buffers.emplace_back(f.data(), f.size());
            co_await self->transport_->write(std::move(buffers));
        }
    } catch (...) {
        self->fail_all(std::current_exception());
    }
    self->writing_ = false;
}

asio::awaitable<void> connection::run_reader(std::shared_ptr<connection> self) {
    try {
        for (;;) self->dispatch(co_await self->read_frame());
    } catch (...) {
        self->fail_all(std::current_exception());
    }
}

asio::awaitable<shared_buffer> connection::read_frame() {
    std::array<unsigned char, 4> size_bytes{};
    co_await transport_->read_exact(asio::buffer(size_bytes));
    const std::uint32_t size = (std::uint32_t{size_bytes[0]} << 24) |
                               (std::uint32_t{size_bytes[1]} << 16) |
                               (std::uint32_t{size_bytes[2]} << 8) | std::uint32_t{size_bytes[3]};
    const auto limit = config().max_response_bytes;
    if (size < 4 || size > limit)
        throw kb::error(error_class::fatal, "RESPONSE_TOO_LARGE",
                        fmt::format("response of {} bytes from {} is outside 4..{} "
                                    "(raise max_response_bytes if this is a legitimate fetch)",
                                    size, describe_peer(), limit));
    runtime::byte_permit permit;
    if (config().memory_budget) permit = co_await config().memory_budget->acquire(size);
    std::vector<std::byte> body(size);
    co_await transport_->read_exact(asio::buffer(body));
    co_return shared_buffer::adopt(std::move(body), std::move(permit));
}

void connection::dispatch(shared_buffer frame) {
    protocol::reader peek(frame.bytes());
    const std::int32_t id = peek.int32();
    auto it = pending_.find(id);
    if (it == pending_.end()) {  // its requester timed out or was cancelled
        kb::log::debug("kafka.connection", "dropping response {} from {}", id, describe_peer());
        return;
    }
    auto p = std::move(it->second);
    pending_.erase(it);
    try {
        protocol::reader r(frame.bytes());
        protocol::read_response_header(r, p->key, p->version);
        p->response = frame.slice(r.position());
    } catch (...) {
        p->error = std::current_exception();
    }
    p->done = true;
    p->timer.cancel();
}

std::exception_ptr connection::lost_error(std::exception_ptr cause) const {
    if (cause) {
        try {
            std::rethrow_exception(cause);
        } catch (const kb::error&) {
            return cause;  // already says what happened
        } catch (...) {
        }
    }
    auto why = cause ? kb::describe(cause) : std::string("closed");
    return std::make_exception_ptr(
        kb::error(error_class::retryable, "CONNECTION_LOST",
                  fmt::format("connection to {} lost: {}", describe_peer(), why)));
}

void connection::fail_all(std::exception_ptr error) noexcept {
    if (!broken_) {
        broken_ = true;
        broken_reason_ = error;
        transport_->close();
        if (!closing_)
            kb::log::debug("kafka.connection", "connection to {} broken: {}", describe_peer(),
                           kb::describe(error));
    }
    auto failure = lost_error(error);
    auto pending = std::move(pending_);
    pending_.clear();
    write_queue_.clear();
    for (auto& [id, p] : pending) {
        p->error = failure;
        p->done = true;
        p->timer.cancel();
    }
}

asio::awaitable<void> connection::close() {
    closing_ = true;
    asio::steady_timer timer(executor_);
    const auto give_up = std::chrono::steady_clock::now() + config().request_timeout;
    while (!pending_.empty() && !broken_ && std::chrono::steady_clock::now() < give_up) {
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(asio::use_awaitable);
    }
    abort();
}

void connection::abort() noexcept {
    closing_ = true;
    fail_all(std::make_exception_ptr(
        kb::error(error_class::retryable, "CONNECTION_CLOSED",
                  fmt::format("connection to {} was closed", describe_peer()))));
}

}  // namespace kb::kafka::client
