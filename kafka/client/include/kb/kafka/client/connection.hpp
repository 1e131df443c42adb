#pragma once
// connection: one pipelined TCP/TLS connection to one broker.
//
// Lifecycle: connection::open() connects (under the connect deadline), runs the TLS
// handshake, negotiates API versions (ApiVersions) and authenticates (SASL) before it
// returns. Then any number of requests may be in flight: each send() queues its frame
// for the single writer loop and waits for its response, which the single reader loop
// matches by correlation id. Every request has a deadline; a late response, a read or
// write failure, or an oversize frame breaks the connection and fails every pending
// request with a retryable error. close() lets in-flight requests finish; abort() does
// not wait. The owner must call one of them: the I/O loops keep the object alive.
//
// Threading: lives on the executor it was opened on; not thread-safe.

#include <kb/kafka/client/config.hpp>
#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/header.hpp>
#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/buffer.hpp>
#include <kb/runtime/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kb::kafka::client {

namespace detail {
class transport;
}

// Per-cluster state every connection shares: the config and the TLS context.
// Built once (validating the config and loading certificates); immutable after.
class connector {
  public:
    explicit connector(client_config config);
    ~connector();
    const client_config& config() const noexcept { return config_; }
    // Opaque handle to the OpenSSL context (null for PLAINTEXT / SASL_PLAINTEXT).
    const std::shared_ptr<void>& tls_context() const noexcept { return tls_; }

  private:
    client_config config_;
    std::shared_ptr<void> tls_;
};

class connection : public std::enable_shared_from_this<connection> {
  public:
    // Connects to `address` (broker `node_id`, -1 while bootstrapping). Throws kb::error:
    // retryable for network failures / timeouts, auth for SASL failures, fatal for
    // TLS configuration or certificate failures.
    static boost::asio::awaitable<std::shared_ptr<connection>> open(
        std::shared_ptr<const connector> connector, broker_address address,
        std::int32_t node_id = -1);

    connection(std::shared_ptr<const connector> connector, broker_address address,
               std::int32_t node_id, std::unique_ptr<detail::transport> transport,
               boost::asio::any_io_executor executor);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    // The negotiated version of `key`: throws kb::error(fatal, "UNSUPPORTED_VERSION")
    // naming the API and the broker's range when there is no common version.
    std::int16_t version_for(protocol::api_key key) const;
    std::optional<std::int16_t> try_version_for(protocol::api_key key) const;
    std::optional<protocol::version_range> broker_range(protocol::api_key key) const;

    // Sends one request and returns the response body after its header: a slice of
    // the one buffer the response was read into. `extra_timeout` extends the request
    // deadline (a Fetch's max wait).
    boost::asio::awaitable<runtime::shared_buffer> send(
        protocol::api_key key, std::int16_t version,
        std::function<void(protocol::writer&)> encode_body,
        std::chrono::milliseconds extra_timeout = std::chrono::milliseconds{0});

    // Encodes `req` at the negotiated (or given) version, sends it and decodes the answer.
    // (A plain function in front of the coroutine: GCC 12 destroys a braced aggregate
    // temporary twice when it is passed straight to a coroutine by value.)
    template <class Response, class Request>
    boost::asio::awaitable<Response> call(
        Request req, std::optional<std::int16_t> version = {},
        std::chrono::milliseconds extra_timeout = std::chrono::milliseconds{0}) {
        return call_impl<Response, Request>(std::move(req), version, extra_timeout);
    }

    // Waits (up to the request timeout) for in-flight requests, then closes.
    boost::asio::awaitable<void> close();
    // Closes at once; pending requests fail with a retryable CONNECTION_CLOSED.
    void abort() noexcept;
    bool is_usable() const noexcept { return !broken_ && !closing_; }
    std::size_t in_flight() const noexcept { return pending_.size(); }

    const broker_address& address() const noexcept { return address_; }
    std::int32_t node_id() const noexcept { return node_id_; }
    const client_config& config() const noexcept { return connector_->config(); }

    struct pending;  // one in-flight request; defined in the .cpp

  private:
    template <class Response, class Request>
    boost::asio::awaitable<Response> call_impl(Request req, std::optional<std::int16_t> version,
                                               std::chrono::milliseconds extra_timeout) {
        const std::int16_t v = version ? *version : version_for(Request::key);
        // Named, not a temporary inside the co_await (see README: GCC 12 pitfall).
        std::function<void(protocol::writer&)> encode = [&req, v](protocol::writer& w) {
            req.encode(w, v);
        };
        auto body = co_await send(Request::key, v, std::move(encode), extra_timeout);
        protocol::reader r(body.bytes());
        co_return Response::decode(r, v);
    }

    // Defined in handshake.cpp: ApiVersions, then SASL when configured.
    boost::asio::awaitable<void> negotiate_versions();
    boost::asio::awaitable<void> authenticate();
    boost::asio::awaitable<void> authenticate_plain();
    boost::asio::awaitable<void> authenticate_scram();
    boost::asio::awaitable<std::string> sasl_round(std::string token);
    [[noreturn]] void sasl_failed(std::string_view code, std::string_view detail,
                                  kb::reason why) const;

    protocol::byte_vector frame_request(protocol::api_key key, std::int16_t version,
                                        std::int32_t correlation_id,
                                        const std::function<void(protocol::writer&)>& body) const;
    void start_writer();
    static boost::asio::awaitable<void> run_reader(std::shared_ptr<connection> self);
    static boost::asio::awaitable<void> run_writer(std::shared_ptr<connection> self);
    boost::asio::awaitable<runtime::shared_buffer> read_frame();
    void dispatch(runtime::shared_buffer frame);
    void fail_all(std::exception_ptr error) noexcept;
    std::exception_ptr lost_error(std::exception_ptr cause) const;
    std::string describe_peer() const;

    std::shared_ptr<const connector> connector_;
    broker_address address_;
    std::int32_t node_id_;
    std::unique_ptr<detail::transport> transport_;
    boost::asio::any_io_executor executor_;
    std::array<std::optional<protocol::version_range>, 128> broker_ranges_{};
    std::int32_t next_correlation_id_ = 1;
    std::unordered_map<std::int32_t, std::shared_ptr<pending>> pending_;
    std::deque<protocol::byte_vector> write_queue_;
    bool writing_ = false;
    bool reading_ = false;
    bool broken_ = false;
    bool closing_ = false;
    std::exception_ptr broken_reason_;
};

}  // namespace kb::kafka::client
