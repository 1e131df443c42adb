#pragma once
// Shared helpers of the kafka/client integration tests: the environment from
// scripts/env.sh, a cluster bound to a private io_context, shell commands for the
// independent clients (kcat, Kafka's Java tools), and test data.

#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/config.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/buffer.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kbtest {

namespace kc = kb::kafka::client;

// The value of an environment variable set by `eval "$(scripts/env.sh up)"`; throws a
// std::runtime_error that says how to start the environment when it is missing.
std::string env(const char* name);

kc::client_config plaintext_config();
kc::client_config sasl_config(kc::sasl_mechanism mechanism, bool over_tls = false);
kc::client_config ssl_config();

// A topic name no earlier run used.
std::string unique_name(const std::string& prefix);

// Runs `work` on `io` until it finishes, and returns its value (or rethrows).
template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
    std::optional<T> value;
    std::exception_ptr error;
    bool done = false;
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T v) {
        error = e;
        if (!e) value.emplace(std::move(v));
        done = true;
        io.stop();
    });
    io.restart();
    io.run();
    if (!done) throw std::runtime_error("io_context ran out of work before the test finished");
    if (error) std::rethrow_exception(error);
    return std::move(*value);
}
void run(boost::asio::io_context& io, boost::asio::awaitable<void> work);

// A bootstrapped cluster on its own io_context.
struct kafka {
    explicit kafka(kc::client_config config = plaintext_config());
    ~kafka();
    template <class T>
    T operator()(boost::asio::awaitable<T> work) {
        return run(io, std::move(work));
    }
    void operator()(boost::asio::awaitable<void> work) { run(io, std::move(work)); }
    boost::asio::io_context io;
    std::unique_ptr<kc::cluster> cluster;
};

struct shell_result {
    int status = -1;
    std::string out;  // stdout (stderr goes to the test log)
};
// Runs `command` with /bin/sh and captures stdout.
shell_result sh(const std::string& command);
// Same, throwing (with the command and its status) when it does not exit 0.
std::string sh_ok(const std::string& command);
std::string quote(const std::string& text);

// Owning record, for building batches and comparing decoded output.
using record = kb::kafka::protocol::owned_record;
std::vector<std::byte> bytes(const std::string& text);
std::string text(const std::optional<std::vector<std::byte>>& b);

// One v2 batch of `records` with `codec`, as a shared buffer ready for produce.
kb::runtime::shared_buffer make_batch(const std::vector<record>& records,
                                      kb::kafka::protocol::codec codec);

// Every record of topic-partition from offset 0 up to the high watermark, via our fetch.
std::vector<record> read_all(kafka& k, const std::string& topic, int partition = 0);

}  // namespace kbtest
