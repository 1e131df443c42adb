// One retry layer against an endpoint that only ever answers 503 SlowDown: an
// in-process HTTP server on 127.0.0.1 (no network beyond this process). The S3
// client retries until its deadline and then gives up for good; the ranged reader
// above it does not start the whole thing again (it did: up to 8 x 8 attempts).
#include <kb/runtime/retry.hpp>
#include <kb/storage/helpers.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

const std::string slow_down_body =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
    "<Message>Please reduce your request rate.</Message></Error>";

// Answers every request with 503 SlowDown and closes the connection.
struct slow_down_server {
    explicit slow_down_server(asio::io_context& io)
        : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

    asio::awaitable<void> serve() {
        for (;;) {
            auto socket = co_await acceptor.async_accept(asio::use_awaitable);
            std::string head;
            boost::system::error_code ec;
            co_await asio::async_read_until(socket, asio::dynamic_buffer(head), "\r\n\r\n",
                                            asio::redirect_error(asio::use_awaitable, ec));
            if (ec) continue;
            ++requests;
            auto reply =
                "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
                "Connection: close\r\nContent-Length: " +
                std::to_string(slow_down_body.size()) + "\r\n\r\n" + slow_down_body;
            co_await asio::async_write(socket, asio::buffer(reply),
                                       asio::redirect_error(asio::use_awaitable, ec));
        }
    }
    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
    }

    tcp::acceptor acceptor;
    int requests = 0;
};

// Runs `work` to its end while the server serves; returns its exception.
std::exception_ptr run_until_done(asio::io_context& io, asio::awaitable<void> work) {
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    while (!done && io.run_one()) {
    }
    return failure;
}

asio::awaitable<void> read_all(kb::storage::backend& b) {
    kb::storage::ranged_reader reader(b, "seg", {0, 1024}, nullptr, {});
    while (co_await reader.next()) {
    }
}

asio::awaitable<void> head_once(kb::storage::backend& b) {
    co_await b.head("warm-up");
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_dead_endpoint_costs_one_deadline_and_says_how_long_it_tried) {
    asio::io_context io;
    slow_down_server server(io);
    asio::co_spawn(io, server.serve(), asio::detached);
    kb::storage::s3::s3_config cfg;
    cfg.bucket = "b";
    cfg.endpoint = server.url();
    cfg.allow_http = true;
    cfg.access_key = "k";
    cfg.secret_key = "s";
    cfg.retry = {.initial_backoff = 5ms, .max_backoff = 20ms, .deadline = 500ms};
    auto backend = kb::storage::s3::make_s3_backend(io.get_executor(), cfg);

    // The store has answered once (even with an error): outages now get the whole deadline.
    BOOST_REQUIRE(run_until_done(io, head_once(*backend)));
    server.requests = 0;

    auto start = std::chrono::steady_clock::now();
    auto failure = run_until_done(io, read_all(*backend));
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_REQUIRE(failure);
    try {
        std::rethrow_exception(failure);
    } catch (const kb::retries_exhausted& e) {
        std::string m = e.what();
        BOOST_TEST_MESSAGE(m << " (" << server.requests << " requests)");
        BOOST_TEST((e.cls() == kb::error_class::fatal));  // permanent: nobody retries it again
        BOOST_TEST(e.code() == "SlowDown");
        BOOST_TEST(m.find("gave up after " + std::to_string(server.requests) + " attempts over") !=
                   std::string::npos);
        BOOST_TEST(m.find("(retry deadline 0.5 s)") != std::string::npos);
    } catch (...) {
        BOOST_FAIL("expected kb::retries_exhausted");
    }
    BOOST_TEST(server.requests > 3);  // bounded by the deadline, not by an attempt cap
    // One deadline, not one per layer (8 reader rounds of 0.5 s each took 4 s and more).
    BOOST_TEST((took < 2s));
}
