// bench_fetch: how fast our client reads a whole topic (fetch only, no decompression).
//
//   bench_fetch TOPIC [--max-bytes N] [--partition-max-bytes N] [--verify-crc]
//               [--connections N]
//
// Reads every partition of TOPIC from its log start to the high watermark seen at the
// start and prints the bytes, batches and rate. With one connection (the default) each
// round is one Fetch per leader covering all partitions; with --connections N every
// partition runs its own fetch loop, on connection (partition mod N), so N requests
// overlap at the broker. --verify-crc also splits and CRC-checks every batch, to show
// what our parsing adds. Connects to $KAFKA_BOOTSTRAP_SERVERS.

#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/fetch.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/core.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
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
    int connections = 1;
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

// One partition from `from` to `to`, on its own connection.
asio::awaitable<void> read_partition(kc::cluster* c, options o, std::int32_t partition,
                                     std::int64_t from, std::int64_t to, totals* t) {
    kc::fetch_options fo;
    fo.max_bytes = o.max_bytes;
    fo.connection = static_cast<std::size_t>(partition);
    kc::fetch_partition want{o.topic, partition, from, o.partition_max_bytes};
    while (want.offset < to) {
        auto got = co_await kc::fetch_one(*c, want, fo);
        ++t->fetches;
        account(got, o.verify_crc, *t);
        want.offset = got.next_offset;
    }
}

asio::awaitable<totals> read_concurrently(kc::cluster& c, options o,
                                          std::vector<kc::partition_offset> start,
                                          std::map<std::int32_t, std::int64_t> stop) {
    auto ex = co_await asio::this_coro::executor;
    totals t;
    std::size_t remaining = start.size();
    std::exception_ptr failure;
    asio::steady_timer done(ex, asio::steady_timer::time_point::max());
    for (const auto& s : start) {
        auto loop = read_partition(&c, o, s.partition, s.offset, stop[s.partition], &t);
        asio::co_spawn(ex, std::move(loop), [&](std::exception_ptr e) {
            if (e && !failure) failure = e;
            if (--remaining == 0) done.cancel();
        });
    }
    if (remaining > 0) co_await done.async_wait(asio::as_tuple(asio::use_awaitable));
    if (failure) std::rethrow_exception(failure);
    co_return t;
}

asio::awaitable<totals> read_topic(kc::cluster& c, options o) {
    co_await c.bootstrap();
    auto start = co_await kc::topic_offsets(c, o.topic, kc::offset_spec::earliest());
    auto end = co_await kc::topic_offsets(c, o.topic, kc::offset_spec::latest());
    std::map<std::int32_t, std::int64_t> stop;  // partition -> high watermark at start
    for (const auto& e : end) stop[e.partition] = e.offset;
    if (o.connections > 1) {
        auto t = co_await read_concurrently(c, o, start, stop);
        co_await c.close();
        co_return t;
    }
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
        else if (a == "--connections" && i + 1 < argc)
            o.connections = std::stoi(argv[++i]);
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
    cfg.connections_per_broker = o.connections;
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
