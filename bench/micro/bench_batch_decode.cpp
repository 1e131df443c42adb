// bench_batch_decode: how fast the fetch path can split a record set into batches and
// check their CRCs (what backup does to every byte), and how fast full record
// iteration is (what restore and inspection do). Builds many 1-10 MB batches in memory,
// concatenated like a Fetch response, and reports GB/s.
//
// Usage: bench_batch_decode [--batches N] [--rounds R] [--record-kb K]

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/crc32c.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string_view>

using namespace kb::kafka::protocol;
using kb::runtime::crc32c;
using kb::runtime::crc32c_hw_available;
using kb::runtime::crc32c_table;
using kb::runtime::shared_buffer;

namespace {

struct options {
    int batches = 32;
    int rounds = 5;
    int record_kb = 64;  // record value size
    codec compression = codec::none;
};

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (flag == "--batches") o.batches = value;
        if (flag == "--rounds") o.rounds = value;
        if (flag == "--record-kb") o.record_kb = value;
        if (flag == "--codec") o.compression = parse_codec(argv[i + 1]).value_or(codec::none);
    }
    return o;
}

// One batch of `target` bytes of record values, with a key and a header per record.
std::vector<std::byte> make_batch(std::size_t target, std::size_t record_size, int64_t base,
                                  codec c, std::mt19937_64& rng) {
    std::vector<std::byte> payload(target);
    for (auto& b : payload) b = std::byte(rng() % 16);  // compressible, not trivial
    std::vector<record_input> records;
    for (std::size_t off = 0; off < target; off += record_size) {
        record_input r;
        r.timestamp = 1700000000000 + int64_t(records.size());
        r.value =
            std::span<const std::byte>(payload).subspan(off, std::min(record_size, target - off));
        r.key = r.value->first(std::min<std::size_t>(16, r.value->size()));
        r.headers = {{"trace", r.key}};
        records.push_back(r);
    }
    return encode_batch({.base_offset = base, .compression = c}, records);
}

shared_buffer make_record_set(const options& o, std::size_t* record_count) {
    std::mt19937_64 rng(42);
    std::vector<std::byte> all;
    int64_t offset = 0;
    for (int i = 0; i < o.batches; ++i) {
        const std::size_t size = (1u << 20) + rng() % (9u << 20);  // 1-10 MB
        const auto b = make_batch(size, std::size_t(o.record_kb) << 10, offset, o.compression, rng);
        offset += int64_t(size / (std::size_t(o.record_kb) << 10)) + 1;
        all.insert(all.end(), b.begin(), b.end());
    }
    *record_count = std::size_t(offset);
    return shared_buffer::adopt(std::move(all));
}

template <class F>
double best_gbps(int rounds, std::size_t bytes, F&& run) {
    double best = 0;
    for (int i = 0; i < rounds; ++i) {
        const auto start = std::chrono::steady_clock::now();
        run();
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        best = std::max(best, double(bytes) / took.count() / 1e9);
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    std::size_t records = 0;
    const shared_buffer set = make_record_set(o, &records);
    std::size_t sink = 0;

    const double split_crc = best_gbps(o.rounds, set.size(), [&] {
        for (const auto& b : split_batches(set, nullptr)) {
            if (!b.crc_ok()) std::abort();
            sink += b.bytes.size();
        }
    });
    const double crc_table =
        best_gbps(o.rounds, set.size(), [&] { sink += crc32c_table(set.bytes(), 0); });
    const double crc_best = best_gbps(o.rounds, set.size(), [&] { sink += crc32c(set.bytes()); });
    const double iterate = best_gbps(o.rounds, set.size(), [&] {
        for (const auto& b : split_batches(set, nullptr)) {
            if (!b.crc_ok()) std::abort();
            for_each_record(b,
                            [&](const record& r) { sink += r.value->size() + r.headers.size(); });
        }
    });

    fmt::print(
        "bench_batch_decode: {} batches, {:.1f} MB, {} records of {} KB, codec {}, crc32c {}\n",
        o.batches, double(set.size()) / 1e6, records, o.record_kb, codec_name(o.compression),
        crc32c_hw_available() ? "sse4.2" : "table");
    fmt::print(
        "result split+crc={:.2f} GB/s  split+crc+iterate={:.2f} GB/s  crc32c={:.2f} GB/s  "
        "crc32c_table={:.2f} GB/s\n",
        split_crc, iterate, crc_best, crc_table);
    return sink == 0 ? 1 : 0;
}
