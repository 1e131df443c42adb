// Decoding the records inside a batch (magic 2) or a legacy message set (magic 0/1).
// One `record` object is reused across the iteration so no allocation happens per
// record once its header vector has grown to the largest header count seen.

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>

namespace kb::kafka::protocol {
namespace {

[[noreturn]] void corrupt(const std::string& what) {
    throw kb::error(error_class::fatal, "CORRUPT_MESSAGE", "kafka protocol: " + what);
}

std::optional<std::span<const std::byte>> varint_bytes(reader& r, std::string_view what) {
    const int32_t n = r.varint();
    if (n == -1) return std::nullopt;
    if (n < 0) r.fail(what);
    return r.raw(std::size_t(n));
}

void read_headers(reader& r, record& out) {
    const int32_t count = r.varint();
    if (count < 0 || std::size_t(count) > r.remaining()) r.fail("record header count");
    out.headers.clear();
    for (int32_t i = 0; i < count; ++i) {
        const int32_t key_len = r.varint();
        if (key_len < 0) r.fail("record header key length");
        const auto key = r.raw(std::size_t(key_len));
        record_header h;
        h.key = {reinterpret_cast<const char*>(key.data()), key.size()};
        h.value = varint_bytes(r, "record header value length");
        out.headers.push_back(h);
    }
}

// One v2 record: length-prefixed, fields relative to the batch header.
void read_record(reader& r, const batch_header& h, record& out) {
    const int32_t length = r.varint();
    if (length < 0) r.fail("record length");
    reader body(r.raw(std::size_t(length)));
    body.int8();  // record attributes: unused by every Kafka version so far
    const int64_t ts_delta = body.varlong();
    const int32_t offset_delta = body.varint();
    out.offset = wrapping_add(h.base_offset, offset_delta);
    out.timestamp = h.timestamp_type() == timestamp_type::log_append_time
                        ? h.max_timestamp
                        : wrapping_add(h.base_timestamp, ts_delta);
    out.timestamp_type = h.timestamp_type();
    out.key = varint_bytes(body, "record key length");
    out.value = varint_bytes(body, "record value length");
    read_headers(body, out);
    if (!body.empty()) body.fail("record (bytes left after its headers)");
}

void for_each_v2_record(const batch_view& batch, const record_fn& fn, std::size_t cap) {
    const batch_header& h = batch.header;
    if (h.record_count < 0) corrupt(fmt::format("negative record count {}", h.record_count));
    const auto body = batch.bytes.bytes().subspan(batch_header_size);
    std::vector<std::byte> inflated;
    if (h.compression() != codec::none) inflated = decompress(h.compression(), body, cap);
    reader r(h.compression() == codec::none ? body : std::span<const std::byte>(inflated));
    record rec;
    for (int32_t i = 0; i < h.record_count; ++i) {
        read_record(r, h, rec);
        fn(rec);
    }
    if (!r.empty())
        corrupt(
            fmt::format("{} bytes after the last of {} records", r.remaining(), h.record_count));
}

// ---- legacy message sets ----

struct legacy_message {
    int64_t offset = 0;
    int8_t magic = 0;
    int8_t attributes = 0;
    int64_t timestamp = -1;
    std::optional<std::span<const std::byte>> key;
    std::optional<std::span<const std::byte>> value;
};

legacy_message read_legacy(reader& set) {
    legacy_message m;
    m.offset = set.int64();
    const int32_t size = set.int32();
    if (size < 0) set.fail("legacy message size");
    reader r(set.raw(std::size_t(size)));
    r.uint32();  // crc: checked on the outer entry by batch_view::crc_ok
    m.magic = r.int8();
    if (m.magic != 0 && m.magic != 1) r.fail("legacy message magic");
    m.attributes = r.int8();
    if (m.magic == 1) m.timestamp = r.int64();
    m.key = r.nullable_bytes_view();
    m.value = r.nullable_bytes_view();
    return m;
}

void emit_legacy(const legacy_message& m, int64_t offset, int64_t timestamp, record& rec,
                 const record_fn& fn) {
    rec.offset = offset;
    rec.timestamp = timestamp;
    rec.timestamp_type =
        (m.attributes & 0x08) ? timestamp_type::log_append_time : timestamp_type::create_time;
    rec.key = m.key;
    rec.value = m.value;
    rec.headers.clear();
    fn(rec);
}

// A compressed wrapper: inner offsets are relative for magic 1 (the wrapper holds the
// last inner offset), absolute for magic 0. LOG_APPEND_TIME wrappers stamp their time.
void expand_wrapper(const legacy_message& outer, const record_fn& fn, std::size_t cap,
                    record& rec) {
    if (!outer.value) corrupt("compressed legacy message without a value");
    const auto inner_bytes = decompress(codec(outer.attributes & 0x07), *outer.value, cap);
    std::vector<legacy_message> inner;
    for (reader r(inner_bytes); !r.empty();) {
        inner.push_back(read_legacy(r));
        if (inner.back().attributes & 0x07) corrupt("nested compressed legacy message");
    }
    if (inner.empty()) return;
    const bool relative = outer.magic == 1;
    const int64_t last_relative = inner.back().offset;
    const bool append_time = (outer.attributes & 0x08) != 0;
    for (const auto& m : inner) {
        const int64_t offset =
            relative ? wrapping_sub(wrapping_add(outer.offset, m.offset), last_relative) : m.offset;
        emit_legacy(m, offset, append_time ? outer.timestamp : m.timestamp, rec, fn);
    }
}

}  // namespace

void for_each_legacy_record(std::span<const std::byte> message_set, const record_fn& fn,
                            std::size_t max_decompressed) {
    record rec;
    for (reader r(message_set); !r.empty();) {
        const legacy_message m = read_legacy(r);
        if (m.attributes & 0x07) {
            expand_wrapper(m, fn, max_decompressed, rec);
        } else {
            emit_legacy(m, m.offset, m.timestamp, rec, fn);
        }
    }
}

void for_each_record(const batch_view& batch, const record_fn& fn, std::size_t max_decompressed) {
    if (batch.header.magic == 2) return for_each_v2_record(batch, fn, max_decompressed);
    for_each_legacy_record(batch.bytes.bytes(), fn, max_decompressed);
}

owned_record to_owned(const record& r) {
    auto copy = [](std::optional<std::span<const std::byte>> b) {
        return b ? std::optional<std::vector<std::byte>>(std::in_place, b->begin(), b->end())
                 : std::nullopt;
    };
    owned_record o{r.offset, r.timestamp, copy(r.key), copy(r.value), {}};
    o.headers.reserve(r.headers.size());
    for (const auto& h : r.headers) o.headers.push_back({std::string(h.key), copy(h.value)});
    return o;
}

std::vector<owned_record> read_records(const batch_view& batch, std::size_t max_decompressed) {
    std::vector<owned_record> out;
    for_each_record(
        batch, [&](const record& r) { out.push_back(to_owned(r)); }, max_decompressed);
    return out;
}

}  // namespace kb::kafka::protocol
