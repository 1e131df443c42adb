#pragma once
// server_thread: an io_context on its own thread, for the in-process fakes (a
// Kafka broker, an S3 endpoint) that unit tests talk to over 127.0.0.1. The code
// under test runs on the test's own io_context (or a shard_pool), as it would
// against a real server; the fake's state is shared under a mutex.
// Destruction stops the context and joins the thread; pending handlers are dropped.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

namespace kb::test {

class server_thread {
  public:
    server_thread() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
    ~server_thread() { stop(); }
    server_thread(const server_thread&) = delete;
    server_thread& operator=(const server_thread&) = delete;

    boost::asio::io_context& io() noexcept { return io_; }

    // Stops serving; call before the state the handlers use goes away.
    void stop() {
        work_.reset();
        io_.stop();
        if (thread_.joinable()) thread_.join();
    }

  private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
};

}  // namespace kb::test
