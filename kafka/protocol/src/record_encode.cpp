// Building v2 record batches (the restore and produce path).

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/crc32c.hpp>
#include <kb/runtime/error.hpp>

#include <algorithm>
#include <limits>

namespace kb::kafka::protocol {
namespace {

void write_varint_bytes(writer& w, const std::optional<std::span<const std::byte>>& b) {
    if (!b) return w.varint(-1);
    w.varint(static_cast<int32_t>(b->size()));
    w.raw(*b);
}

void write_record(writer& out, writer& scratch, const record_input& r, int32_t offset_delta,
                  int64_t base_timestamp) {
    scratch.buffer().clear();
    scratch.int8(0);  // attributes
    scratch.varlong(wrapping_sub(r.timestamp, base_timestamp));
    scratch.varint(offset_delta);
    write_varint_bytes(scratch, r.key);
    write_varint_bytes(scratch, r.value);
    scratch.varint(static_cast<int32_t>(r.headers.size()));
    for (const auto& h : r.headers) {
        scratch.varint(static_cast<int32_t>(h.key.size()));
        scratch.raw({reinterpret_cast<const std::byte*>(h.key.data()), h.key.size()});
        write_varint_bytes(scratch, h.value);
    }
    out.varint(static_cast<int32_t>(scratch.size()));
    out.raw(scratch.buffer());
}

int16_t attributes_of(const batch_spec& s) {
    int v = static_cast<int>(s.compression) & 0x07;
    if (s.timestamp_type == timestamp_type::log_append_time) v |= 0x08;
    if (s.transactional) v |= 0x10;
    if (s.control) v |= 0x20;
    return static_cast<int16_t>(v);
}

}  // namespace

std::vector<std::byte> encode_batch(const batch_spec& spec, std::span<const record_input> records) {
    if (records.empty())
        throw kb::error(error_class::fatal, "INVALID_RECORD", "encode_batch: no records");
    const int64_t base_timestamp = records.front().timestamp;
    int64_t max_timestamp = std::numeric_limits<int64_t>::min();
    int32_t last_delta = 0;
    writer body;
    writer scratch;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto delta = records[i].offset_delta.value_or(static_cast<int32_t>(i));
        write_record(body, scratch, records[i], delta, base_timestamp);
        max_timestamp = std::max(max_timestamp, records[i].timestamp);
        last_delta = std::max(last_delta, delta);
    }
    const auto payload = compress(spec.compression, body.buffer(), spec.compression_level);

    writer w;
    w.buffer().reserve(batch_header_size + payload.size());
    w.int64(spec.base_offset);
    w.int32(static_cast<int32_t>(batch_header_size - log_overhead + payload.size()));
    w.int32(spec.partition_leader_epoch);
    w.int8(2);
    const std::size_t crc_pos = w.reserve_int32();
    w.int16(attributes_of(spec));
    w.int32(last_delta);
    w.int64(base_timestamp);
    w.int64(spec.max_timestamp.value_or(max_timestamp));
    w.int64(spec.producer_id);
    w.int16(spec.producer_epoch);
    w.int32(spec.base_sequence);
    w.int32(static_cast<int32_t>(records.size()));
    w.raw(payload);
    const auto crc = runtime::crc32c(std::span<const std::byte>(w.buffer()).subspan(crc_pos + 4));
    w.patch_int32(crc_pos, static_cast<int32_t>(crc));
    return w.take();
}

record_input as_input(const owned_record& r, int64_t base_offset) {
    record_input in;
    in.timestamp = r.timestamp;
    if (r.key) in.key = std::span<const std::byte>(*r.key);
    if (r.value) in.value = std::span<const std::byte>(*r.value);
    in.headers.reserve(r.headers.size());
    for (const auto& h : r.headers) {
        record_header rh{h.key, std::nullopt};
        if (h.value) rh.value = std::span<const std::byte>(*h.value);
        in.headers.push_back(rh);
    }
    in.offset_delta = static_cast<int32_t>(wrapping_sub(r.offset, base_offset));
    return in;
}

}  // namespace kb::kafka::protocol
