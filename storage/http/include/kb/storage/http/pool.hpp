#pragma once
// http_pool: keep-alive HTTP/1.1 connections to one object-store host, at most
// `max_connections` open at once; a request takes a lease on one connection
// (waiting in FIFO order when all are busy) and gives it back when done.
//
// Every exchange has a deadline (the request timeout covers write and read)
// and a response body limit. A connection that failed in any way, or whose
// response was an error status (other than 404), is closed, not reused; a reused idle connection
// the server had already closed is replaced once transparently. Request bodies are written straight
// from the caller's shared_buffer (no copy). Single-threaded: use it from one executor only.

#include <kb/runtime/buffer.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kb::storage::http {

using boost::asio::awaitable;

struct pool_options {
    std::string host;  // to connect to and to verify the certificate against
    std::uint16_t port = 443;
    bool tls = true;
    bool verify_tls = true;
    std::string ca_file;
    int max_connections = 8;
    std::chrono::milliseconds request_timeout{120'000};
    std::chrono::milliseconds connect_timeout{10'000};  // name resolution, then TCP connect
    std::chrono::milliseconds idle_timeout{15'000};     // below common server keep-alive limits
};

struct outgoing_request {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    runtime::shared_buffer body;
    bool head = false;  // a HEAD response has no body whatever its Content-Length says
    std::uint64_t body_limit = 0;
};

struct incoming_response {
    unsigned status = 0;
    boost::beast::http::fields headers;
    std::vector<std::byte> body;
    bool keep_alive = false;
};

class connection;

class http_pool {
  public:
    http_pool(boost::asio::any_io_executor ex, pool_options opts);
    ~http_pool();
    http_pool(const http_pool&) = delete;
    http_pool& operator=(const http_pool&) = delete;

    // Throws boost::system::system_error on connect, TLS, write, read or parse failures.
    awaitable<incoming_response> exchange(outgoing_request req);

    int open_connections() const noexcept { return busy_ + static_cast<int>(idle_.size()); }

  private:
    class lease;
    struct waiter;

    awaitable<lease> acquire();
    void give_back(std::unique_ptr<connection> c, bool reusable) noexcept;
    void drop_expired_idle();

    boost::asio::any_io_executor ex_;
    pool_options opts_;
    boost::asio::ssl::context tls_;
    std::deque<std::unique_ptr<connection>> idle_;  // most recently used at the back
    std::deque<waiter*> waiters_;
    int busy_ = 0;  // leases out
};

}  // namespace kb::storage::http
