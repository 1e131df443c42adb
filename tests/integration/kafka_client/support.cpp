#include "support.hpp"

#include <kb/kafka/client/fetch.hpp>
#include <kb/kafka/client/offsets.hpp>

#include <fmt/core.h>

#include <sys/wait.h>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace kbtest {
namespace proto = kb::kafka::protocol;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v)
        throw std::runtime_error(fmt::format(
            "environment variable {} is not set: start the test environment with "
            "`eval \"$(scripts/env.sh up)\"` before running the Kafka integration tests",
            name));
    return v;
}

kc::client_config plaintext_config() {
    kc::client_config c;
    c.bootstrap_servers = kc::split_servers(env("KAFKA_BOOTSTRAP_SERVERS"));
    c.client_id = "kb-integration-test";
    c.retry.deadline = std::chrono::seconds(30);
    return c;
}

kc::client_config sasl_config(kc::sasl_mechanism mechanism, bool over_tls) {
    kc::client_config c = plaintext_config();
    c.bootstrap_servers =
        kc::split_servers(env(over_tls ? "KAFKA_SASL_SSL_BOOTSTRAP" : "KAFKA_SASL_BOOTSTRAP"));
    c.security.protocol =
        over_tls ? kc::security_protocol::sasl_ssl : kc::security_protocol::sasl_plaintext;
    c.security.mechanism = mechanism;
    c.security.username = env("KAFKA_SCRAM_USER");
    c.security.password = env("KAFKA_SCRAM_PASSWORD");
    if (over_tls) c.security.tls.ca_file = env("KAFKA_CA_FILE");
    return c;
}

kc::client_config ssl_config() {
    kc::client_config c = plaintext_config();
    c.bootstrap_servers = kc::split_servers(env("KAFKA_SSL_BOOTSTRAP"));
    c.security.protocol = kc::security_protocol::ssl;
    c.security.tls.ca_file = env("KAFKA_CA_FILE");
    return c;
}

std::string unique_name(const std::string& prefix) {
    static std::mt19937_64 rng{std::random_device{}()};
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return fmt::format("{}-{}-{:x}", prefix,
                       std::chrono::duration_cast<std::chrono::seconds>(now).count(),
                       rng() & 0xffff);
}

void run(boost::asio::io_context& io, boost::asio::awaitable<void> work) {
    std::exception_ptr error;
    bool done = false;
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
        error = e;
        done = true;
        io.stop();
    });
    io.restart();
    io.run();
    if (!done) throw std::runtime_error("io_context ran out of work before the test finished");
    if (error) std::rethrow_exception(error);
}

kafka::kafka(kc::client_config config)
    : cluster(std::make_unique<kc::cluster>(io.get_executor(), std::move(config))) {
    run(io, cluster->bootstrap());
}

kafka::~kafka() {
    try {
        run(io, cluster->close());
    } catch (...) {
    }
    cluster.reset();
}

shell_result sh(const std::string& command) {
    shell_result r;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) throw std::runtime_error("popen failed for: " + command);
    std::array<char, 65536> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int status = ::pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string sh_ok(const std::string& command) {
    auto r = sh(command);
    if (r.status != 0)
        throw std::runtime_error(
            fmt::format("command failed with status {}: {}", r.status, command));
    return r.out;
}

std::string quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::vector<std::byte> bytes(const std::string& text) {
    auto b = kb::runtime::as_bytes(text);
    return {b.begin(), b.end()};
}

std::string text(const std::optional<std::vector<std::byte>>& b) {
    if (!b) return "<null>";
    return {reinterpret_cast<const char*>(b->data()), b->size()};
}

kb::runtime::shared_buffer make_batch(const std::vector<record>& records, proto::codec codec) {
    std::vector<proto::record_input> inputs;
    for (const auto& r : records) {
        inputs.push_back(proto::as_input(r, 0));
        inputs.back().offset_delta = std::nullopt;  // consecutive, whatever r.offset says
    }
    proto::batch_spec spec;
    spec.compression = codec;
    return kb::runtime::shared_buffer::adopt(proto::encode_batch(spec, inputs));
}

namespace {

boost::asio::awaitable<std::vector<record>> read_all_async(kc::cluster& c, std::string topic,
                                                           int partition) {
    std::vector<std::int32_t> partitions(1, partition);
    auto end = co_await kc::topic_offsets(c, topic, kc::offset_spec::latest(), partitions);
    auto start = co_await kc::topic_offsets(c, topic, kc::offset_spec::earliest(), partitions);
    std::vector<record> out;
    std::int64_t offset = start.front().offset;
    while (offset < end.front().offset) {
        kc::fetch_partition want{topic, partition, offset, 1 << 20};
        auto got = co_await kc::fetch_one(c, want);
        for (const auto& batch : proto::split_batches(got.records)) {
            if (!batch.crc_ok())
                throw std::runtime_error(
                    fmt::format("batch CRC mismatch at offset {}", batch.header.base_offset));
            if (batch.header.control()) continue;
            for (auto& r : proto::read_records(batch))
                if (r.offset >= offset) out.push_back(std::move(r));
        }
        offset = got.next_offset;
    }
    co_return out;
}

}  // namespace

std::vector<record> read_all(kafka& k, const std::string& topic, int partition) {
    return k(read_all_async(*k.cluster, topic, partition));
}

}  // namespace kbtest
