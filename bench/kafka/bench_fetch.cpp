// bench_fetch: how fast our client reads a whole topic (fetch only, no decompression).
//
//   bench_fetch TOPIC [--max-bytes N] [--partition-max-bytes N] [--verify-crc]
//
// Reads every partition of TOPIC from its log start to the high watermark seen at the
// start, with one Fetch per leader per round (all partitions in it), and prints the
// bytes, batches and rate. --verify-crc also splits and CRC-checks every batch, to show
// what our parsing adds. Connects to $KAFKA_BOOTSTRAP_SERVERS.

#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/fetch.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/core.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

namespace kc = kb::kafka::client;
namespace proto = kb::kafka::protocol;
namespace asio = boost::asio;

namespace {

struct options {
    std::string topic;
    std::int32_t max_bytes = 64 << 20;
    std::int32_t partition_max_bytes = 16 << 20;
    bool verify_crc = false;
};

struct totals {
    std::uint64_t bytes = 0;
    std::uint64_t batches = 0;
    std::uint64_t records = 0;
    std::uint64_t fetches = 0;
};

void account(const kc::fetched_partition& p, bool verify, totals& t) {
    t.bytes += p.records.size();
    t.batches += p.batch_count;
    if (!verify) return;
    for (const auto& b : proto::split_batches(p.records)) {
        if (!b.crc_ok())
            throw kb::error(kb::error_class::fatal, "CORRUPT_MESSAGE",
                            fmt::format("CRC mismatch at offset {}", b.header.base_offset));
        t.records += static_cast<std::uint64_t>(b.header.record_count);
    }
}

asio::awaitable<totals> read_topic(kc::cluster& c, options o) {
    co_await c.bootstrap();
    auto start = co_await kc::topic_offsets(c, o.topic, kc::offset_spec::earliest());
    auto end = co_await kc::topic_offsets(c, o.topic, kc::offset_spec::latest());
    std::map<std::int32_t, std::int64_t> stop;  // partition -> high watermark at start
    for (const auto& e : end) stop[e.partition] = e.offset;
    std::vector<kc::fetch_partition> todo;
    for (std::size_t i = 0; i < start.size(); ++i)
        if (start[i].offset < end[i].offset)
            todo.push_back({o.topic, start[i].partition, start[i].offset, o.partition_max_bytes});
    kc::fetch_options fo;
    fo.max_bytes = o.max_bytes;
    totals t;
    while (!todo.empty()) {
        auto got = co_await kc::fetch(c, todo, fo);
        ++t.fetches;
        std::vector<kc::fetch_partition> next;
        for (std::size_t i = 0; i < got.size(); ++i) {
            if (got[i].error_code != 0)
                throw kb::error(
                    kb::error_class::fatal, "FETCH_FAILED",
                    fmt::format("partition {} error {}", got[i].partition, got[i].error_code));
            account(got[i], o.verify_crc, t);
            auto want = todo[i];
            want.offset = got[i].next_offset;
            if (want.offset < stop[want.partition]) next.push_back(want);
        }
        todo = std::move(next);
    }
    co_await c.close();
    co_return t;
}

options parse(int argc, char** argv) {
    options o;
    if (argc < 2)
        throw std::runtime_error(
            "usage: bench_fetch TOPIC [--max-bytes N] "
            "[--partition-max-bytes N] [--verify-crc]");
    o.topic = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--verify-crc")
            o.verify_crc = true;
        else if (a == "--max-bytes" && i + 1 < argc)
            o.max_bytes = std::stoi(argv[++i]);
        else if (a == "--partition-max-bytes" && i + 1 < argc)
            o.partition_max_bytes = std::stoi(argv[++i]);
        else
            throw std::runtime_error("unknown option " + a);
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) try {
    kb::log::set_level(kb::log::level::warn);
    auto o = parse(argc, argv);
    const char* bootstrap = std::getenv("KAFKA_BOOTSTRAP_SERVERS");
    if (!bootstrap)
        throw std::runtime_error("KAFKA_BOOTSTRAP_SERVERS is not set (scripts/env.sh up)");
    kc::client_config cfg;
    cfg.bootstrap_servers = kc::split_servers(bootstrap);
    cfg.client_id = "kb-bench-fetch";
    asio::io_context io;
    kc::cluster c(io.get_executor(), cfg);
    const auto t0 = std::chrono::steady_clock::now();
    auto fut = asio::co_spawn(io, read_topic(c, o), asio::use_future);
    io.run();
    auto t = fut.get();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << fmt::format(
        "bench_fetch topic={} bytes={} batches={} fetches={} seconds={:.3f} "
        "MB/s={:.1f}{}\n",
        o.topic, t.bytes, t.batches, t.fetches, s, t.bytes / s / 1e6,
        o.verify_crc ? fmt::format(" records={} (CRC verified)", t.records) : "");
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_fetch: " << e.what() << "\n";
    return 1;
}
