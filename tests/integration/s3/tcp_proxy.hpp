#pragma once
// tcp_proxy: a TCP forwarder between the S3 client and the real MinIO, on its
// own thread, used to make the network misbehave on cue: stop() closes the
// listener and every open connection (MinIO "goes away": resets, then refused
// connections), start() brings it back on the same port, blackhole mode accepts
// but never answers (deadlines), and an optional TLS listener terminates https
// so the client's certificate verification can be exercised. It also counts
// connections, so tests can observe keep-alive reuse and the pool's cap.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace kb::s3test {

class tcp_proxy {
  public:
    // `tls`: if set, clients speak TLS to the proxy (with this server context).
    tcp_proxy(std::string upstream_host, std::uint16_t upstream_port,
              std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
    ~tcp_proxy();

    std::uint16_t port() const noexcept { return port_; }
    std::string url() const;  // http(s)://127.0.0.1:port

    void start();  // listen (the same port every time)
    void stop();   // close the listener and every connection
    void set_blackhole(bool on) { blackhole_ = on; }
    // Flips the byte at `offset` of what the next accepted client sends upstream, once.
    void corrupt_next_connection_at(long offset) { corrupt_at_ = offset; }
    // The next accepted connection forwards requests but never delivers the answers.
    void mute_next_connection() { mute_next_ = true; }

    int accepted() const noexcept { return accepted_; }
    int max_concurrent() const noexcept { return max_concurrent_; }

    struct state;

  private:
    void on_io_thread(std::function<void()> f);
    static boost::asio::awaitable<void> accept_loop(std::shared_ptr<state> st);

    std::shared_ptr<state> st_;
    boost::asio::io_context io_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    std::atomic<bool> blackhole_{false};
    std::atomic<long> corrupt_at_{-1};
    std::atomic<bool> mute_next_{false};
    std::atomic<int> accepted_{0};
    std::atomic<int> max_concurrent_{0};
    bool tls_ = false;
};

// A self-signed certificate for 127.0.0.1 (its own CA), written as PEM files.
struct self_signed {
    std::string cert_file, key_file;
};
self_signed make_self_signed(const std::string& dir);

}  // namespace kb::s3test
