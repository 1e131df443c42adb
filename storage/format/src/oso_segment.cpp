// OSO kafka-backup segment objects (see oso.hpp): header, CRC and trailer checks,
// decompression, record frames.
#include "bytes.hpp"

#include <kb/storage/format/oso.hpp>

#include <fmt/format.h>
#include <lz4.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace kb::storage::format {

using detail::get_le;

namespace {

constexpr char head_magic[4] = {'K', 'B', 'A', 'K'};
constexpr char tail_magic[4] = {'B', 'K', 'A', 'E'};

bool has_magic(std::span<const std::byte> b, const char (&magic)[4]) {
    return std::memcmp(b.data(), magic, 4) == 0;
}

std::uint32_t crc32_ieee(std::span<const std::byte> b) {
    uLong crc = ::crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed large objects in pieces.
    constexpr std::size_t piece = 1u << 30;
    for (std::size_t at = 0; at < b.size(); at += piece) {
        auto n = std::min(piece, b.size() - at);
        crc = ::crc32(crc, reinterpret_cast<const Bytef*>(b.data() + at), static_cast<uInt>(n));
    }
    return static_cast<std::uint32_t>(crc);
}

codec codec_of(std::uint8_t id, const std::string& name) {
    switch (id) {
        case 0:
            return codec::none;
        case 1:
            return codec::zstd;
        case 2:
            return codec::lz4;
        default:
            throw_corrupt(
                name, "header", 5,
                fmt::format("unknown compression {} (OSO writes 0 none, 1 zstd, 2 lz4)", id));
    }
}

std::vector<std::byte> unzstd(std::span<const std::byte> in, std::uint64_t limit,
                              const std::string& name) {
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    std::vector<std::byte> out;
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    std::size_t ret = 1;
    while (src.pos < src.size || ret != 0) {
        if (out.size() >= limit)
            throw_corrupt(name, "records", oso_header_size,
                          "decompressed records exceed the limit");
        auto used = out.size();
        out.resize(std::min<std::uint64_t>(limit, std::max<std::uint64_t>(2 * used, 64 * 1024)));
        ZSTD_outBuffer dst{out.data() + used, out.size() - used, 0};
        ret = ZSTD_decompressStream(ctx.get(), &dst, &src);
        out.resize(used + dst.pos);
        if (ZSTD_isError(ret))
            throw_corrupt(name, "records", oso_header_size,
                          fmt::format("zstd: {}", ZSTD_getErrorName(ret)));
        if (src.pos == src.size && ret != 0 && dst.pos == 0)
            throw_corrupt(name, "records", oso_header_size + in.size(), "zstd frame ends early",
                          kb::reason::segment_truncated);
    }
    return out;
}

// lz4_flex's compress_prepend_size: u32 LE uncompressed size, then one raw LZ4 block.
std::vector<std::byte> unlz4(std::span<const std::byte> in, std::uint64_t limit,
                             const std::string& name) {
    if (in.size() < 4)
        throw_corrupt(name, "records", oso_header_size, "lz4 size prefix missing",
                      kb::reason::segment_truncated);
    auto size = get_le<std::uint32_t>(in.data());
    if (size > limit || size > static_cast<std::uint64_t>(LZ4_MAX_INPUT_SIZE))
        throw_corrupt(name, "records", oso_header_size,
                      fmt::format("lz4 block of {} bytes exceeds the limit", size));
    std::vector<std::byte> out(size);
    auto block = in.subspan(4);
    if (block.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE))
        throw_corrupt(name, "records", oso_header_size, "lz4 block too large");
    int n = LZ4_decompress_safe(reinterpret_cast<const char*>(block.data()),
                                reinterpret_cast<char*>(out.data()), static_cast<int>(block.size()),
                                static_cast<int>(size));
    if (n < 0 || static_cast<std::uint32_t>(n) != size)
        throw_corrupt(name, "records", oso_header_size + 4,
                      fmt::format("lz4 block does not decode to its {} bytes", size));
    return out;
}

}  // namespace

bool looks_like_oso_segment_key(std::string_view key) {
    for (std::string_view ext : {".bin", ".bin.zst", ".bin.lz4"})
        if (key.ends_with(ext)) {
            auto stem = key.substr(0, key.size() - ext.size());
            auto slash = stem.rfind('/');
            auto file = slash == std::string_view::npos ? stem : stem.substr(slash + 1);
            return file.size() == 28 && file.starts_with("segment-") &&
                   file.find_first_not_of("0123456789", 8) == std::string_view::npos;
        }
    return false;
}

oso_segment decode_oso_segment(std::span<const std::byte> object, const std::string& name,
                               std::uint64_t max_records_bytes) {
    auto size = object.size();
    if (size < oso_header_size + oso_footer_size)
        throw_corrupt(name, "end", size,
                      fmt::format("object of {} bytes is too short for an OSO segment", size),
                      kb::reason::segment_truncated);
    if (!has_magic(object, head_magic))
        throw_corrupt(name, "header", 0, "not an OSO segment (no \"KBAK\" magic)");
    if (auto v = std::to_integer<std::uint8_t>(object[4]); v != 1)
        throw_corrupt(name, "header", 4, fmt::format("unsupported OSO segment version {}", v));
    oso_segment s;
    s.compression = codec_of(std::to_integer<std::uint8_t>(object[5]), name);
    s.record_count = get_le<std::uint64_t>(object.data() + 8);
    s.first_offset = get_le<std::int64_t>(object.data() + 16);
    s.last_offset = get_le<std::int64_t>(object.data() + 24);
    if (!has_magic(object.last(4), tail_magic))
        throw_corrupt(name, "trailer", size - 4,
                      "no \"BKAE\" end magic (object truncated or not an OSO segment)",
                      kb::reason::segment_truncated);
    auto stored_crc = get_le<std::uint32_t>(object.data() + size - oso_footer_size);
    auto actual_crc = crc32_ieee(object.first(size - oso_footer_size));
    if (stored_crc != actual_crc)
        throw_corrupt(
            name, "trailer", size - oso_footer_size,
            fmt::format("CRC-32 mismatch: stored {:08x}, computed {:08x}", stored_crc, actual_crc));
    auto payload = object.subspan(oso_header_size, size - oso_header_size - oso_footer_size);
    switch (s.compression) {
        case codec::zstd:
            s.records = runtime::shared_buffer::adopt(unzstd(payload, max_records_bytes, name));
            break;
        case codec::lz4:
            s.records = runtime::shared_buffer::adopt(unlz4(payload, max_records_bytes, name));
            break;
        default:
            s.records = runtime::shared_buffer::copy_of(payload);
            break;
    }
    return s;
}

namespace {

// Bounds-checked reads of one frame; positions are within the records area.
class frame_cursor {
  public:
    frame_cursor(std::span<const std::byte> b, std::size_t pos, const std::string& name)
        : b_(b), pos_(pos), name_(name) {}

    template <class T>
    T le(const char* what) {
        need(sizeof(T), what);
        T v = get_le<T>(b_.data() + pos_);
        pos_ += sizeof(T);
        return v;
    }
    std::span<const std::byte> take(std::size_t n, const char* what) {
        need(n, what);
        auto s = b_.subspan(pos_, n);
        pos_ += n;
        return s;
    }
    std::optional<std::span<const std::byte>> nullable(const char* what) {
        auto len = le<std::int32_t>(what);
        if (len == -1) return std::nullopt;
        if (len < 0)
            throw_corrupt(name_, "records", pos_ - 4, fmt::format("{} length {}", what, len));
        return take(static_cast<std::size_t>(len), what);
    }
    std::size_t pos() const { return pos_; }

  private:
    void need(std::size_t n, const char* what) const {
        if (b_.size() - pos_ < n)
            throw_corrupt(name_, "records", pos_,
                          fmt::format("{} runs past the end of the record frame", what),
                          kb::reason::segment_truncated);
    }
    std::span<const std::byte> b_;
    std::size_t pos_;
    const std::string& name_;
};

}  // namespace

std::size_t read_oso_record(std::span<const std::byte> records, std::size_t pos, oso_record& out,
                            const std::string& name) {
    frame_cursor head(records, pos, name);
    auto len = head.le<std::uint32_t>("frame length");
    if (len > records.size() - head.pos())
        throw_corrupt(name, "records", pos,
                      fmt::format("record frame of {} bytes runs past the end of the records", len),
                      kb::reason::segment_truncated);
    frame_cursor c(records.first(head.pos() + len), head.pos(), name);
    out.timestamp = c.le<std::int64_t>("timestamp");
    out.offset = c.le<std::int64_t>("offset");
    out.key = c.nullable("key");
    out.value = c.nullable("value");
    auto count = c.le<std::uint16_t>("header count");
    out.headers.clear();
    for (std::uint16_t i = 0; i < count; ++i) {
        auto klen = c.le<std::uint16_t>("header key length");
        auto k = c.take(klen, "header key");
        auto v = c.nullable("header value");
        out.headers.push_back({{reinterpret_cast<const char*>(k.data()), k.size()}, v});
    }
    if (c.pos() != head.pos() + len)
        throw_corrupt(name, "records", pos,
                      fmt::format("record frame says {} bytes but its fields take {}", len,
                                  c.pos() - head.pos()));
    return c.pos();
}

void check_oso_walk(const oso_segment& seg, const std::string& name, std::uint64_t count,
                    std::int64_t first, std::int64_t last, std::size_t end_pos) {
    if (count != seg.record_count)
        throw_corrupt(name, "records", end_pos,
                      fmt::format("{} records where the header says {}", count, seg.record_count),
                      kb::reason::segment_truncated);
    if (end_pos != seg.records.size())
        throw_corrupt(name, "records", end_pos,
                      fmt::format("{} bytes after the last of the {} records",
                                  seg.records.size() - end_pos, count));
    if (count > 0 && (first != seg.first_offset || last != seg.last_offset))
        throw_corrupt(name, "header", 16,
                      fmt::format("header says offsets {}..{}, the records hold {}..{}",
                                  seg.first_offset, seg.last_offset, first, last));
}

}  // namespace kb::storage::format
