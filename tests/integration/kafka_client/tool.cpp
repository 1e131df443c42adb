// kafka_client_tool: a small command-line face of kb::kafka::client for the interop
// shell tests (they compare its output with kcat's and Kafka's Java tools').
//
//   kafka_client_tool create TOPIC PARTITIONS [name=value ...]   (replication.factor=N too)
//   kafka_client_tool delete TOPIC
//   kafka_client_tool consume TOPIC [PARTITION]
//       every record from the log start to the high watermark, one line each, in the
//       layout of `kcat -f 'p=%p o=%o T=%T K=%K k=%k S=%S s=%s h=%h|\n'`
//   kafka_client_tool produce TOPIC PARTITION CODEC < records
//       one record per line: TIMESTAMP<TAB>KEY<TAB>VALUE<TAB>HEADERS, where HEADERS is
//       name=value,name=value... (a name without '=' has a null value) and \N stands
//       for a null key or value; all lines go out as one batch with CODEC
//   kafka_client_tool batches TOPIC [PARTITION]   "BASE_OFFSET RECORDS CODEC" per batch
//   kafka_client_tool produce-seq TOPIC BATCHES RECORDS_PER_BATCH PACE_MS
//       idempotent produce of values seq-0, seq-1, ... in BATCHES batches, one batch
//       started every PACE_MS (up to 5 in flight), retrying through leader moves
//   kafka_client_tool committed-values TOPIC
//       fetches partition 0 with isolation read_committed and prints the value of every
//       record a read_committed consumer would see (aborted transactions dropped with
//       the aborted-transaction list the broker returns); "aborted=N" goes to stderr
//   kafka_client_tool commit GROUP TOPIC PARTITION OFFSET
//   kafka_client_tool group-offsets GROUP        prints "TOPIC PARTITION OFFSET" lines
//
// Connects to $KAFKA_BOOTSTRAP_SERVERS. Exits 1 with the error on stderr on failure.

#include "support.hpp"

#include <kb/kafka/client/admin.hpp>
#include <kb/kafka/client/fetch.hpp>
#include <kb/kafka/client/groups.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/kafka/client/producer.hpp>
#include <kb/kafka/protocol/compression.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/core.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

using namespace kbtest;
namespace proto = kb::kafka::protocol;
namespace asio = boost::asio;

namespace {

std::string show(const std::optional<std::vector<std::byte>>& b) {
    return b ? std::string(reinterpret_cast<const char*>(b->data()), b->size()) : "";
}

long size_of(const std::optional<std::vector<std::byte>>& b) {
    return b ? static_cast<long>(b->size()) : -1;
}

// kcat's %h: name=value pairs joined by ',', NULL for a null value.
std::string headers_of(const record& r) {
    std::string out;
    for (const auto& h : r.headers) {
        if (!out.empty()) out += ',';
        out += h.key + "=" + (h.value ? show(h.value) : "NULL");
    }
    return out;
}

int consume(kafka& k, const std::string& topic, int partition) {
    auto first = k(kc::topic_offsets(*k.cluster, topic, kc::offset_spec::earliest(),
                                     std::vector<std::int32_t>(1, partition)));
    for (const auto& r : read_all(k, topic, partition)) {
        if (r.offset < first.front().offset) continue;
        std::cout << fmt::format("p={} o={} T={} K={} k={} S={} s={} h={}|\n", partition, r.offset,
                                 r.timestamp, size_of(r.key), show(r.key), size_of(r.value),
                                 show(r.value), headers_of(r));
    }
    return 0;
}

asio::awaitable<void> print_batches(kc::cluster& c, std::string topic, int partition) {
    std::vector<std::int32_t> partitions(1, partition);
    auto end = co_await kc::topic_offsets(c, topic, kc::offset_spec::latest(), partitions);
    auto start = co_await kc::topic_offsets(c, topic, kc::offset_spec::earliest(), partitions);
    for (auto offset = start.front().offset; offset < end.front().offset;) {
        kc::fetch_partition want{topic, partition, offset, 1 << 20};
        auto got = co_await kc::fetch_one(c, want);
        for (const auto& b : proto::split_batches(got.records))
            std::cout << b.header.base_offset << " " << b.header.record_count << " "
                      << proto::codec_name(b.header.compression()) << "\n";
        offset = got.next_offset;
    }
}

// Produces batches on a pace, several in flight, and waits for all of them.
asio::awaitable<int> produce_sequence(kc::cluster& c, std::string topic, int batches, int per_batch,
                                      int pace_ms) {
    kc::producer p(c);
    co_await p.init();
    auto ex = co_await asio::this_coro::executor;
    int remaining = batches, failed = 0;
    asio::steady_timer all_done(ex, asio::steady_timer::time_point::max());
    asio::steady_timer pace(ex);
    for (int b = 0; b < batches; ++b) {
        std::vector<record> rs;
        for (int i = 0; i < per_batch; ++i) {
            record r;
            r.timestamp = 1'600'000'000'000 + b;
            r.key = bytes(fmt::format("k{}", b * per_batch + i));
            r.value = bytes(fmt::format("seq-{}", b * per_batch + i));
            rs.push_back(std::move(r));
        }
        auto call = p.produce(topic, 0, make_batch(rs, proto::codec::lz4));
        asio::co_spawn(ex, std::move(call), [&, b](std::exception_ptr e, kc::produce_result r) {
            if (e) {
                ++failed;
                std::cerr << "batch " << b << " failed: " << kb::describe(e) << "\n";
            } else {
                std::cerr << "batch " << b << " at offset " << r.base_offset << "\n";
            }
            if (--remaining == 0) all_done.cancel();
        });
        pace.expires_after(std::chrono::milliseconds(pace_ms));
        co_await pace.async_wait(asio::use_awaitable);
    }
    if (remaining > 0) co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
    std::cout << "produced " << batches - failed << " of " << batches << " batches\n";
    co_return failed == 0 ? 0 : 1;
}

// What a read_committed consumer shows: the broker sends aborted data too, with the list
// of aborted transactions (producer id, first offset) that lets the client drop it.
asio::awaitable<int> committed_values(kc::cluster& c, std::string topic) {
    std::vector<kc::offset_query> queries;  // named: see the GCC 12 note in kafka/client
    queries.push_back({topic, 0, kc::offset_spec::latest()});
    auto end = co_await kc::list_offsets(c, queries, kc::isolation_level::read_committed);
    kc::fetch_options fo;
    fo.isolation = kc::isolation_level::read_committed;
    std::set<std::int64_t> aborting;             // producer ids inside an aborted transaction
    std::map<std::int64_t, std::int64_t> known;  // first offset -> producer id, not yet reached
    std::size_t aborted = 0;
    kc::fetch_partition want{topic, 0, 0, 1 << 20};
    while (want.offset < end.front().offset) {
        auto got = co_await kc::fetch_one(c, want, fo);
        for (const auto& a : got.aborted_transactions)
            if (known.emplace(a.first_offset, a.producer_id).second) ++aborted;
        for (const auto& b : proto::split_batches(got.records)) {
            if (b.next_offset() <= want.offset) continue;
            while (!known.empty() && known.begin()->first <= b.header.last_offset()) {
                aborting.insert(known.begin()->second);
                known.erase(known.begin());
            }
            const auto pid = b.header.producer_id;
            if (b.header.control()) {
                aborting.erase(pid);  // the marker ends the transaction either way
                continue;
            }
            if (b.header.transactional() && aborting.count(pid)) continue;
            for (const auto& r : proto::read_records(b)) std::cout << show(r.value) << "\n";
        }
        want.offset = got.next_offset;
    }
    std::cerr << "aborted=" << aborted << "\n";
    co_return 0;
}

std::optional<std::vector<std::byte>> field(const std::string& text) {
    if (text == "\\N") return std::nullopt;
    return bytes(text);
}

record parse_line(const std::string& line) {
    std::vector<std::string> parts;
    std::stringstream in(line);
    std::string part;
    while (std::getline(in, part, '\t')) parts.push_back(part);
    while (parts.size() < 4) parts.emplace_back();
    record r;
    r.timestamp = std::stoll(parts[0]);
    r.key = field(parts[1]);
    r.value = field(parts[2]);
    std::stringstream hs(parts[3]);
    while (std::getline(hs, part, ',')) {
        auto eq = part.find('=');
        if (eq == std::string::npos)
            r.headers.push_back({part, std::nullopt});
        else
            r.headers.push_back({part.substr(0, eq), bytes(part.substr(eq + 1))});
    }
    return r;
}

asio::awaitable<kc::produce_result> produce(kc::cluster& c, std::string topic, int partition,
                                            kb::runtime::shared_buffer batch) {
    kc::producer p(c);
    co_await p.init();
    co_return co_await p.produce(topic, partition, batch);
}

int produce_stdin(kafka& k, const std::string& topic, int partition, const std::string& codec) {
    auto c = proto::parse_codec(codec);
    if (!c) throw std::runtime_error("unknown codec " + codec);
    std::vector<record> records;
    for (std::string line; std::getline(std::cin, line);)
        if (!line.empty()) records.push_back(parse_line(line));
    auto result = k(produce(*k.cluster, topic, partition, make_batch(records, *c)));
    std::cout << "base_offset=" << result.base_offset << " records=" << result.records << "\n";
    return 0;
}

int create(kafka& k, const std::string& topic, int partitions, int argc, char** argv, int from) {
    kc::new_topic t;
    t.name = topic;
    t.partitions = partitions;
    for (int i = from; i < argc; ++i) {
        std::string kv = argv[i];
        auto eq = kv.find('=');
        if (kv.substr(0, eq) == "replication.factor")  // not a topic config: a create field
            t.replication_factor = static_cast<std::int16_t>(std::stoi(kv.substr(eq + 1)));
        else
            t.configs[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    std::vector<kc::new_topic> topics;
    topics.push_back(std::move(t));
    k(kc::create_topics(*k.cluster, std::move(topics)));
    return 0;
}

int commit(kafka& k, const std::string& group, const std::string& topic, int partition,
           long long offset) {
    kc::group_offset o;
    o.topic = topic;
    o.partition = partition;
    o.offset = offset;
    k(kc::commit_group_offsets(*k.cluster, group, {o}));
    return 0;
}

int group_offsets(kafka& k, const std::string& group) {
    for (const auto& o : k(kc::fetch_group_offsets(*k.cluster, group)))
        std::cout << o.topic << " " << o.partition << " " << o.offset << "\n";
    return 0;
}

int dispatch(int argc, char** argv) {
    const std::string cmd = argc > 1 ? argv[1] : "";
    auto arg = [&](int i) -> std::string {
        if (i >= argc) throw std::runtime_error("missing argument for " + cmd);
        return argv[i];
    };
    auto config = plaintext_config();
    config.retry.max_attempts = 60;  // enough to ride out a broker failure and an election
    config.retry.deadline = std::chrono::seconds(120);
    kafka k(config);
    if (cmd == "produce-seq")
        return k(produce_sequence(*k.cluster, arg(2), std::stoi(arg(3)), std::stoi(arg(4)),
                                  std::stoi(arg(5))));
    if (cmd == "committed-values") return k(committed_values(*k.cluster, arg(2)));
    if (cmd == "create") return create(k, arg(2), std::stoi(arg(3)), argc, argv, 4);
    if (cmd == "delete") {
        k(kc::delete_topics(*k.cluster, std::vector<std::string>(1, arg(2))));
        return 0;
    }
    if (cmd == "consume") return consume(k, arg(2), argc > 3 ? std::stoi(arg(3)) : 0);
    if (cmd == "batches") {
        k(print_batches(*k.cluster, arg(2), argc > 3 ? std::stoi(arg(3)) : 0));
        return 0;
    }
    if (cmd == "produce") return produce_stdin(k, arg(2), std::stoi(arg(3)), arg(4));
    if (cmd == "commit") return commit(k, arg(2), arg(3), std::stoi(arg(4)), std::stoll(arg(5)));
    if (cmd == "group-offsets") return group_offsets(k, arg(2));
    throw std::runtime_error(
        "usage: kafka_client_tool create|delete|consume|produce|commit|"
        "group-offsets ...");
}

}  // namespace

int main(int argc, char** argv) {
    kb::log::level level = kb::log::level::warn;
    if (const char* l = std::getenv("KB_LOG_LEVEL")) kb::log::parse_level(l, level);
    kb::log::set_level(level);
    try {
        return dispatch(argc, argv);
    } catch (const kb::error& e) {
        std::cerr << "kafka_client_tool: " << e.code() << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "kafka_client_tool: " << e.what() << "\n";
        return 1;
    }
}
