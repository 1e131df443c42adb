// Writes the seed corpus for the protocol fuzzers (checked in under corpus/).
// Usage: fuzz_protocol_make_seeds <tests/fuzz/protocol/corpus>

#include <kb/kafka/protocol/fetch.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/kafka/protocol/record_batch.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace kb::kafka::protocol;
namespace fs = std::filesystem;

namespace {

void save(const fs::path& dir, const std::string& name, std::span<const std::byte> bytes) {
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::span<const std::byte> as_span(std::string_view s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

std::vector<std::byte> batch(codec c) {
    std::vector<record_input> in(3);
    in[0].timestamp = 1000;
    in[0].key = as_span("key");
    in[0].value = as_span("value");
    in[0].headers = {{"h", as_span("1")}, {"h", std::nullopt}};
    in[1].timestamp = 1001;
    in[1].value = as_span("tombstone-next");
    in[2].timestamp = 999;
    return encode_batch({.base_offset = 10,
                         .compression = c,
                         .producer_id = 5,
                         .producer_epoch = 0,
                         .base_sequence = 0},
                        in);
}

std::vector<std::byte> legacy(int8_t magic, int8_t attributes, int64_t offset,
                              std::span<const std::byte> value) {
    writer body;
    body.int8(magic);
    body.int8(attributes);
    if (magic == 1) body.int64(1234);
    body.nullable_bytes(as_span("k"));
    body.nullable_bytes(value);
    writer w;
    w.int64(offset);
    w.int32(static_cast<int32_t>(body.size() + 4));
    const auto& b = body.buffer();
    w.uint32(uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(b.data()), uInt(b.size()))));
    w.raw(b);
    return w.take();
}

void record_sets(const fs::path& root) {
    for (auto c : {codec::none, codec::gzip, codec::snappy, codec::lz4, codec::zstd})
        save(root / "record_batch", std::string(codec_name(c)), batch(c));
    auto inner = legacy(1, 0, 0, as_span("a"));
    const auto more = legacy(1, 0, 1, as_span("b"));
    inner.insert(inner.end(), more.begin(), more.end());
    for (auto c : {codec::none, codec::gzip, codec::snappy}) {
        const auto entry = c == codec::none ? inner : legacy(1, int8_t(c), 1, compress(c, inner));
        save(root / "legacy_message_set", "magic1_" + std::string(codec_name(c)), entry);
        save(root / "record_batch", "legacy_" + std::string(codec_name(c)), entry);
    }
    save(root / "legacy_message_set", "magic0", legacy(0, 0, 7, as_span("v0")));
}

void fetch_responses(const fs::path& root) {
    for (int16_t v : {int16_t{4}, int16_t{11}, int16_t{12}, int16_t{16}}) {
        fetch_response resp;
        fetch_response::partition p;
        p.high_watermark = 100;
        p.aborted_transactions = std::vector<fetch_response::aborted_transaction>{{5, 10}};
        p.records = kb::runtime::shared_buffer::copy_of(batch(codec::lz4));
        resp.responses = {{"topic", {}, {p}}};
        writer w;
        w.int8(static_cast<int8_t>(v - codec_range(api_key::Fetch).min));
        resp.encode(w, v);
        save(root / "fetch_response", "v" + std::to_string(v), w.buffer());
    }
}

void metadata_responses(const fs::path& root) {
    for (int16_t v : {int16_t{1}, int16_t{8}, int16_t{9}, int16_t{12}}) {
        metadata_response resp;
        resp.brokers = {{1, "localhost", 9092, "r1"}};
        resp.cluster_id = "cluster";
        metadata_response::partition p{0, 0, 1, 3, {1}, {1}, {}};
        resp.topics = {{0, "topic", {}, false, {p}, 0}};
        writer w;
        w.int8(static_cast<int8_t>(v - codec_range(api_key::Metadata).min));
        resp.encode(w, v);
        save(root / "metadata_response", "v" + std::to_string(v), w.buffer());
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const fs::path root = argv[1];
    record_sets(root);
    fetch_responses(root);
    metadata_responses(root);
    return 0;
}
