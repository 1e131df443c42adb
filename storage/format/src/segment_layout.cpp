#include "bytes.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/checksum.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace kb::storage::format {

using detail::cursor;
using detail::put_le;

namespace {

constexpr std::size_t footer_fixed = 4 + 2 + 4 + 6 * 8 + 4;  // without topic and entries

void put_magic(std::vector<std::byte>& out, const std::array<char, 8>& m) {
    for (char c : m) out.push_back(static_cast<std::byte>(c));
}

bool has_magic(std::span<const std::byte> b, const std::array<char, 8>& m) {
    return b.size() >= m.size() && std::memcmp(b.data(), m.data(), m.size()) == 0;
}

std::uint32_t crc_of(std::span<const std::byte> b) {
    return crc32c(b);
}

void put_entry(std::vector<std::byte>& out, const frame_info& f) {
    put_le(out, f.stored_offset);
    put_le(out, f.stored_size);
    put_le(out, f.raw_size);
    put_le(out, f.first_offset);
    put_le(out, f.last_offset);
    put_le(out, f.min_timestamp);
    put_le(out, f.max_timestamp);
    put_le(out, f.record_count);
    put_le(out, f.batch_count);
    put_le(out, f.checksum);
}

frame_info read_entry(cursor& c) {
    frame_info f;
    f.stored_offset = c.le<std::uint64_t>();
    f.stored_size = c.le<std::uint64_t>();
    f.raw_size = c.le<std::uint64_t>();
    f.first_offset = c.le<std::int64_t>();
    f.last_offset = c.le<std::int64_t>();
    f.min_timestamp = c.le<std::int64_t>();
    f.max_timestamp = c.le<std::int64_t>();
    f.record_count = c.le<std::uint64_t>();
    f.batch_count = c.le<std::uint32_t>();
    f.checksum = c.le<std::uint32_t>();
    return f;
}

// Frame i's entry must be self-consistent and follow frame i-1 in bytes and offsets.
void check_entry(const std::string& name, std::uint64_t entry_pos, std::size_t i,
                 const frame_info& f, std::uint64_t expected_start, const frame_info* prev) {
    auto where = fmt::format("footer entry for frame {}", i);
    if (f.stored_offset != expected_start)
        throw_corrupt(name, where, entry_pos,
                      fmt::format("frame starts at byte {} but the previous data ends at {}",
                                  f.stored_offset, expected_start));
    if (f.stored_size == 0 || f.batch_count == 0 || f.first_offset > f.last_offset ||
        f.min_timestamp > f.max_timestamp || f.raw_size < 61ull * f.batch_count)
        throw_corrupt(name, where, entry_pos, "impossible frame description");
    if (prev && f.first_offset <= prev->last_offset)
        throw_corrupt(name, where, entry_pos, "offsets do not ascend from the previous frame");
}

void check_totals(const std::string& name, std::uint64_t pos, const segment_footer& f) {
    std::uint64_t records = 0, raw = 0;
    std::int64_t min_ts = std::numeric_limits<std::int64_t>::max();
    std::int64_t max_ts = std::numeric_limits<std::int64_t>::min();
    for (auto& e : f.frames) {
        records += e.record_count;
        raw += e.raw_size;
        min_ts = std::min(min_ts, e.min_timestamp);
        max_ts = std::max(max_ts, e.max_timestamp);
    }
    bool ok = records == f.record_count && raw == f.raw_bytes &&
              f.first_offset == f.frames.front().first_offset &&
              f.last_offset == f.frames.back().last_offset && min_ts == f.min_timestamp &&
              max_ts == f.max_timestamp;
    if (!ok) throw_corrupt(name, "footer", pos, "segment totals disagree with the frame index");
}

}  // namespace

const char* to_string(codec c) {
    switch (c) {
        case codec::none:
            return "none";
        case codec::gzip:
            return "gzip";
        case codec::lz4:
            return "lz4";
        case codec::zstd:
            return "zstd";
        case codec::snappy:
            return "snappy";
    }
    return "unknown";
}

codec parse_codec(std::string_view name) {
    for (auto c : {codec::none, codec::gzip, codec::lz4, codec::zstd, codec::snappy})
        if (name == to_string(c)) return c;
    throw std::invalid_argument(
        fmt::format("unknown compression '{}' (use zstd, lz4, gzip, snappy or none)", name));
}

void throw_corrupt(const std::string& name, const std::string& where, std::uint64_t pos,
                   const std::string& what, kb::reason why) {
    const char* code = why == kb::reason::segment_truncated ? "TruncatedSegment" : "CorruptSegment";
    throw kb::error(error_class::fatal, code,
                    fmt::format("segment {}: {} at byte {}: {}", name, where, pos, what), why);
}

std::vector<std::byte> encode_header(const segment_header& h) {
    std::vector<std::byte> out;
    put_magic(out, header_magic);
    put_le(out, h.version);
    put_le(out, static_cast<std::uint8_t>(h.compression));
    put_le(out, checksum_crc32c);
    put_le(out, std::uint32_t{0});  // flags
    put_le(out, std::uint32_t{0});  // reserved
    put_le(out, crc_of(out));
    return out;
}

segment_header decode_header(std::span<const std::byte> b, const std::string& name) {
    if (b.size() < header_size)
        throw_corrupt(name, "header", 0, "too short", kb::reason::segment_truncated);
    if (!has_magic(b, header_magic)) throw_corrupt(name, "header", 0, "not a segment (bad magic)");
    auto crc = detail::get_le<std::uint32_t>(b.data() + 20);
    if (crc != crc_of(b.first(20))) throw_corrupt(name, "header", 0, "checksum mismatch");
    cursor c(b.subspan(8));
    segment_header h;
    h.version = c.le<std::uint16_t>();
    auto codec_byte = c.le<std::uint8_t>();
    auto algo = c.le<std::uint8_t>();
    if (h.version != segment_version)
        throw_corrupt(name, "header", 8, fmt::format("unsupported format version {}", h.version));
    if (codec_byte > static_cast<std::uint8_t>(codec::snappy))
        throw_corrupt(name, "header", 10, fmt::format("unknown codec {}", codec_byte));
    if (algo != checksum_crc32c)
        throw_corrupt(name, "header", 11, fmt::format("unknown checksum algorithm {}", algo));
    if (c.le<std::uint32_t>() != 0 || c.le<std::uint32_t>() != 0)
        throw_corrupt(name, "header", 12, "unknown flags");
    h.compression = static_cast<codec>(codec_byte);
    return h;
}

std::vector<std::byte> encode_trailer(const segment_trailer& t) {
    std::vector<std::byte> out;
    put_le(out, t.footer_offset);
    put_le(out, t.footer_size);
    put_le(out, t.version);
    put_le(out, std::uint16_t{0});
    put_le(out, crc_of(out));
    put_magic(out, trailer_magic);
    return out;
}

segment_trailer decode_trailer(std::span<const std::byte> b, std::uint64_t object_size,
                               const std::string& name) {
    if (object_size < header_size + trailer_size || b.size() != trailer_size)
        throw_corrupt(name, "end", object_size, "object too short to be a segment",
                      kb::reason::segment_truncated);
    auto pos = object_size - trailer_size;
    if (!has_magic(b.subspan(20), trailer_magic))
        throw_corrupt(name, "trailer", pos, "end marker missing: truncated or not a segment",
                      kb::reason::segment_truncated);
    if (detail::get_le<std::uint32_t>(b.data() + 16) != crc_of(b.first(16)))
        throw_corrupt(name, "trailer", pos, "checksum mismatch");
    cursor c(b);
    segment_trailer t;
    t.footer_offset = c.le<std::uint64_t>();
    t.footer_size = c.le<std::uint32_t>();
    t.version = c.le<std::uint16_t>();
    if (t.version != segment_version || c.le<std::uint16_t>() != 0)
        throw_corrupt(name, "trailer", pos,
                      fmt::format("unsupported format version {}", t.version));
    if (t.footer_offset < header_size || t.footer_size < footer_fixed ||
        t.footer_offset + t.footer_size != pos)
        throw_corrupt(name, "trailer", pos, "footer position disagrees with the object size",
                      kb::reason::segment_truncated);
    return t;
}

std::vector<std::byte> encode_footer(const segment_footer& f) {
    std::vector<std::byte> out;
    put_le(out, static_cast<std::uint32_t>(f.frames.size()));
    put_le(out, static_cast<std::uint16_t>(f.topic.size()));
    for (char ch : f.topic) out.push_back(static_cast<std::byte>(ch));
    put_le(out, f.partition);
    for (auto v : {f.first_offset, f.last_offset, f.min_timestamp, f.max_timestamp}) put_le(out, v);
    put_le(out, f.record_count);
    put_le(out, f.raw_bytes);
    for (auto& e : f.frames) put_entry(out, e);
    put_le(out, crc_of(out));
    return out;
}

segment_footer decode_footer(std::span<const std::byte> b, const segment_trailer& t,
                             const std::string& name) {
    auto pos = t.footer_offset;
    if (b.size() != t.footer_size)
        throw_corrupt(name, "footer", pos, "wrong size", kb::reason::segment_truncated);
    if (detail::get_le<std::uint32_t>(b.data() + b.size() - 4) != crc_of(b.first(b.size() - 4)))
        throw_corrupt(name, "footer", pos, "checksum mismatch");
    try {
        cursor c(b.first(b.size() - 4));
        segment_footer f;
        auto count = c.le<std::uint32_t>();
        f.topic = c.text(c.le<std::uint16_t>());
        f.partition = c.le<std::int32_t>();
        f.first_offset = c.le<std::int64_t>();
        f.last_offset = c.le<std::int64_t>();
        f.min_timestamp = c.le<std::int64_t>();
        f.max_timestamp = c.le<std::int64_t>();
        f.record_count = c.le<std::uint64_t>();
        f.raw_bytes = c.le<std::uint64_t>();
        if (count == 0 || c.remaining() != std::uint64_t{count} * frame_entry_size)
            throw_corrupt(name, "footer", pos, "frame index size disagrees with the frame count");
        std::uint64_t next = header_size;
        for (std::uint32_t i = 0; i < count; ++i) {
            auto entry_pos = pos + c.pos();
            f.frames.push_back(read_entry(c));
            check_entry(name, entry_pos, i, f.frames.back(), next, i ? &f.frames[i - 1] : nullptr);
            if (f.frames.back().stored_size > t.footer_offset - next)
                throw_corrupt(name, fmt::format("footer entry for frame {}", i), entry_pos,
                              "frame runs past the footer");
            next = f.frames.back().stored_offset + f.frames.back().stored_size;
        }
        if (next != t.footer_offset)
            throw_corrupt(name, "footer", pos, "frames do not end where the footer starts");
        check_totals(name, pos, f);
        return f;
    } catch (const std::out_of_range&) {
        throw_corrupt(name, "footer", pos, "fields run past its end");
    }
}

}  // namespace kb::storage::format
