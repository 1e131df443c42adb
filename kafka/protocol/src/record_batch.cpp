// Record set framing: header parsing, splitting a fetched record set into entries,
// CRC checks and in-place restamping. Record bodies are decoded in record_decode.cpp
// and built in record_encode.cpp.

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/batch_v2.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <zlib.h>

namespace kb::kafka::protocol {
namespace {

// Offsets of v2 header fields: runtime/batch_v2.hpp has the layout.
using runtime::batch_v2::attributes_offset;
using runtime::batch_v2::crc_offset;
using runtime::batch_v2::magic_offset;
using runtime::batch_v2::partition_leader_epoch_offset;
using runtime::batch_v2::producer_id_offset;

// Smallest legal entry bodies (bytes after the length field), per magic.
constexpr int32_t min_legacy_v0_size = 14;  // crc, magic, attributes, key len, value len
constexpr int32_t min_legacy_v1_size = 22;  // + timestamp
constexpr int32_t min_v2_size = runtime::batch_v2::min_batch_length;

[[noreturn]] void corrupt(const std::string& what) {
    throw kb::error(error_class::fatal, "CORRUPT_MESSAGE", "kafka protocol: " + what);
}

int32_t min_size_for(int8_t magic) {
    switch (magic) {
        case 0:
            return min_legacy_v0_size;
        case 1:
            return min_legacy_v1_size;
        case 2:
            return min_v2_size;
        default:
            corrupt(fmt::format("unknown record set magic {}", magic));
    }
}

void parse_legacy_fields(reader& r, batch_header& h) {
    h.crc = r.uint32();
    h.magic = r.int8();
    h.attributes = r.int8();
    if (h.magic == 1) h.base_timestamp = h.max_timestamp = r.int64();
    h.last_offset_delta = 0;
    h.record_count = (h.attributes & 0x07) ? -1 : 1;  // a compressed wrapper's count is unknown
}

batch_header parse_v2_header(std::span<const std::byte> bytes) {
    if (bytes.size() < batch_header_size)
        corrupt(fmt::format("record batch of {} bytes is shorter than its {}-byte header",
                            bytes.size(), batch_header_size));
    const auto v2 = runtime::batch_v2::read_header(bytes);
    return {.base_offset = v2.base_offset,
            .batch_length = v2.batch_length,
            .partition_leader_epoch = v2.partition_leader_epoch,
            .magic = v2.magic,
            .crc = v2.crc,
            .attributes = v2.attributes,
            .last_offset_delta = v2.last_offset_delta,
            .base_timestamp = v2.base_timestamp,
            .max_timestamp = v2.max_timestamp,
            .producer_id = v2.producer_id,
            .producer_epoch = v2.producer_epoch,
            .base_sequence = v2.base_sequence,
            .record_count = v2.record_count};
}

void put_be(std::span<std::byte> at, uint64_t v, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) at[i] = std::byte(v >> (8 * (width - 1 - i)));
}

}  // namespace

batch_header parse_batch_header(std::span<const std::byte> bytes) {
    if (bytes.size() <= magic_offset) corrupt("record set entry shorter than its header");
    const auto magic = static_cast<int8_t>(bytes[magic_offset]);
    const int32_t min_size = min_size_for(magic);
    reader r(bytes);
    batch_header h;
    h.base_offset = r.int64();
    h.batch_length = r.int32();
    if (h.batch_length < min_size)
        corrupt(fmt::format("record set entry length {} below the minimum {} for magic {}",
                            h.batch_length, min_size, magic));
    if (magic == 2) return parse_v2_header(bytes);
    parse_legacy_fields(r, h);
    return h;
}

bool batch_view::crc_ok() const {
    const auto b = bytes.bytes();
    if (header.magic == 2) {
        if (b.size() < batch_header_size) return false;
        return runtime::batch_v2::compute_crc(b) == header.crc;
    }
    if (b.size() <= magic_offset) return false;
    const auto body = b.subspan(magic_offset);
    return uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))) ==
           header.crc;
}

std::vector<batch_view> split_batches(const runtime::shared_buffer& records, bool* truncated_tail) {
    std::vector<batch_view> out;
    const auto all = records.bytes();
    std::size_t pos = 0;
    bool truncated = false;
    while (pos < all.size()) {
        const auto rest = all.subspan(pos);
        if (rest.size() < log_overhead) {
            truncated = true;
            break;
        }
        reader r(rest.subspan(8, 4));
        const int64_t length = r.int32();
        if (length < 0) corrupt(fmt::format("negative record set entry length at byte {}", pos));
        const std::size_t total = log_overhead + std::size_t(length);
        if (total > rest.size()) {
            truncated = true;
            break;
        }
        batch_view v{records.slice(pos, total), parse_batch_header(rest.first(total))};
        out.push_back(std::move(v));
        pos += total;
    }
    if (truncated_tail) *truncated_tail = truncated;
    return out;
}

void restamp_batch(std::span<std::byte> batch, const restamp& changes) {
    const batch_header h = parse_batch_header(batch);
    if (h.magic != 2) corrupt("restamp_batch needs a magic 2 batch");
    if (h.total_size() != batch.size()) corrupt("restamp_batch needs exactly one whole batch");
    if (changes.base_offset) put_be(batch.subspan(0), uint64_t(*changes.base_offset), 8);
    if (changes.partition_leader_epoch)
        put_be(batch.subspan(partition_leader_epoch_offset),
               uint32_t(*changes.partition_leader_epoch), 4);
    if (changes.transactional) {
        const uint16_t attrs =
            (uint16_t(h.attributes) & ~0x10u) | (*changes.transactional ? 0x10u : 0u);
        put_be(batch.subspan(attributes_offset), attrs, 2);
    }
    if (changes.producer_id)
        put_be(batch.subspan(producer_id_offset), uint64_t(*changes.producer_id), 8);
    if (changes.producer_epoch)
        put_be(batch.subspan(producer_id_offset + 8), uint16_t(*changes.producer_epoch), 2);
    if (changes.base_sequence)
        put_be(batch.subspan(producer_id_offset + 10), uint32_t(*changes.base_sequence), 4);
    put_be(batch.subspan(crc_offset), runtime::batch_v2::compute_crc(batch), 4);
}

}  // namespace kb::kafka::protocol
