// Record batch codecs. Every decompressor streams into a vector that grows toward
// the caller's cap and fails as soon as output would pass it, so a tiny hostile
// input cannot trigger a huge allocation.

#include <kb/kafka/protocol/compression.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace kb::kafka::protocol {
namespace {

[[noreturn]] void corrupt(codec c, std::string_view why) {
    throw kb::error(error_class::fatal, "CORRUPT_MESSAGE",
                    fmt::format("kafka protocol: corrupt {} data: {}", codec_name(c), why));
}

[[noreturn]] void too_large(codec c, std::size_t cap) {
    throw kb::error(error_class::fatal, "DECOMPRESSED_TOO_LARGE",
                    fmt::format("kafka protocol: {} data decompresses to more than {} bytes",
                                codec_name(c), cap));
}

// Output buffer that grows geometrically toward the cap. It may hold one byte more
// than the cap, so output of exactly `cap` bytes finishes without a false alarm while
// anything longer is caught. `size_hint` (0 = unknown) is what the stream says it
// will produce; it sizes the first allocation, never the limit.
class bounded_output {
  public:
    bounded_output(codec c, std::size_t input_size, std::size_t cap, std::size_t size_hint = 0)
        : codec_(c), cap_(cap), limit_(cap == SIZE_MAX ? cap : cap + 1) {
        const std::size_t guess =
            size_hint ? size_hint + 1 : std::max<std::size_t>(input_size * 4, 64 * 1024);
        out_.resize(std::min(limit_, guess));
    }
    // Free space at the end; grows first when full. Throws past the cap.
    std::span<std::byte> space() {
        if (used_ == out_.size()) {
            if (out_.size() >= limit_) too_large(codec_, cap_);
            out_.resize(std::min(limit_, out_.size() * 2));
        }
        return std::span<std::byte>(out_).subspan(used_);
    }
    void commit(std::size_t n) {
        used_ += n;
        if (used_ > cap_) too_large(codec_, cap_);
    }
    // Reserves exactly n more bytes (for block formats that state their size).
    std::span<std::byte> exact(std::size_t n) {
        if (n > cap_ - used_) too_large(codec_, cap_);
        if (used_ + n > out_.size()) out_.resize(used_ + n);
        return std::span<std::byte>(out_).subspan(used_, n);
    }
    std::vector<std::byte> finish() {
        out_.resize(used_);
        return std::move(out_);
    }

  private:
    codec codec_;
    std::size_t cap_;
    std::size_t limit_;
    std::vector<std::byte> out_;
    std::size_t used_ = 0;
};

// ---- gzip ----

std::vector<std::byte> gzip_compress(std::span<const std::byte> in, int level) {
    z_stream zs{};
    if (deflateInit2(&zs, level < 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        throw kb::error(error_class::fatal, "COMPRESSION_FAILED", "deflateInit2 failed");
    std::vector<std::byte> out(deflateBound(&zs, uLong(in.size())));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
    zs.avail_in = uInt(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        throw kb::error(error_class::fatal, "COMPRESSION_FAILED", "gzip deflate failed");
    return out;
}

// The ISIZE trailer: uncompressed size mod 2^32 (only a hint; it may lie).
std::size_t gzip_size_hint(std::span<const std::byte> in) {
    if (in.size() < 18) return 0;
    const auto* p = in.data() + in.size() - 4;
    return std::size_t(p[0]) | std::size_t(p[1]) << 8 | std::size_t(p[2]) << 16 |
           std::size_t(p[3]) << 24;
}

std::vector<std::byte> gzip_decompress(std::span<const std::byte> in, std::size_t cap) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) corrupt(codec::gzip, "inflateInit2 failed");
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
    bounded_output out(codec::gzip, in.size(), cap, gzip_size_hint(in));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
    zs.avail_in = uInt(in.size());
    for (;;) {
        auto space = out.space();
        zs.next_out = reinterpret_cast<Bytef*>(space.data());
        zs.avail_out = uInt(std::min<std::size_t>(space.size(), 1u << 30));
        const uInt before = zs.avail_out;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        out.commit(before - zs.avail_out);
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) break;
            inflateReset(&zs);  // concatenated gzip members
            continue;
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) corrupt(codec::gzip, "truncated stream");
        if (rc != Z_OK && rc != Z_BUF_ERROR) corrupt(codec::gzip, zs.msg ? zs.msg : "inflate");
    }
    return out.finish();
}

// ---- snappy (xerial framing) ----

constexpr unsigned char xerial_magic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr std::size_t xerial_header_size = 16;  // magic + version + compatible version
constexpr std::size_t xerial_block_size = 32 * 1024;

void put_be32(std::vector<std::byte>& out, uint32_t v) {
    for (int i = 3; i >= 0; --i) out.push_back(std::byte(v >> (8 * i)));
}

uint32_t get_be32(const std::byte* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

std::vector<std::byte> snappy_compress(std::span<const std::byte> in) {
    std::vector<std::byte> out(reinterpret_cast<const std::byte*>(xerial_magic),
                               reinterpret_cast<const std::byte*>(xerial_magic) + 8);
    put_be32(out, 1);  // version
    put_be32(out, 1);  // minimum compatible version
    for (std::size_t off = 0; off < in.size(); off += xerial_block_size) {
        const std::size_t n = std::min(xerial_block_size, in.size() - off);
        const std::size_t len_pos = out.size();
        out.resize(len_pos + 4 + snappy::MaxCompressedLength(n));
        std::size_t written = 0;
        snappy::RawCompress(reinterpret_cast<const char*>(in.data() + off), n,
                            reinterpret_cast<char*>(out.data() + len_pos + 4), &written);
        out.resize(len_pos + 4 + written);
        for (int i = 0; i < 4; ++i) out[len_pos + i] = std::byte(written >> (8 * (3 - i)));
    }
    return out;
}

void snappy_raw_into(std::span<const std::byte> in, bounded_output& out) {
    const auto* src = reinterpret_cast<const char*>(in.data());
    std::size_t n = 0;
    if (!snappy::GetUncompressedLength(src, in.size(), &n)) corrupt(codec::snappy, "bad length");
    auto dst = out.exact(n);
    if (!snappy::RawUncompress(src, in.size(), reinterpret_cast<char*>(dst.data())))
        corrupt(codec::snappy, "bad block");
    out.commit(n);
}

bool is_xerial(std::span<const std::byte> in) {
    return in.size() >= xerial_header_size && std::memcmp(in.data(), xerial_magic, 8) == 0;
}

std::vector<std::byte> snappy_decompress(std::span<const std::byte> in, std::size_t cap) {
    bounded_output out(codec::snappy, 0, cap);
    if (!is_xerial(in)) {
        snappy_raw_into(in, out);
        return out.finish();
    }
    std::size_t pos = xerial_header_size;
    while (pos < in.size()) {
        if (in.size() - pos < 4) corrupt(codec::snappy, "truncated block length");
        const uint32_t n = get_be32(in.data() + pos);
        pos += 4;
        if (n > in.size() - pos) corrupt(codec::snappy, "block length past the end");
        snappy_raw_into(in.subspan(pos, n), out);
        pos += n;
    }
    return out.finish();
}

// ---- lz4 frame ----

std::vector<std::byte> lz4_compress(std::span<const std::byte> in, int level) {
    LZ4F_preferences_t prefs{};
    // Independent 64 KiB blocks: Kafka's Java reader decodes each block on its own.
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.compressionLevel = level < 0 ? 0 : level;
    std::vector<std::byte> out(LZ4F_compressFrameBound(in.size(), &prefs));
    const size_t n = LZ4F_compressFrame(out.data(), out.size(), in.data(), in.size(), &prefs);
    if (LZ4F_isError(n))
        throw kb::error(error_class::fatal, "COMPRESSION_FAILED", LZ4F_getErrorName(n));
    out.resize(n);
    return out;
}

std::vector<std::byte> lz4_decompress(std::span<const std::byte> in, std::size_t cap) {
    LZ4F_dctx* raw = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION)))
        corrupt(codec::lz4, "cannot create context");
    std::unique_ptr<LZ4F_dctx, LZ4F_errorCode_t (*)(LZ4F_dctx*)> ctx(raw,
                                                                     LZ4F_freeDecompressionContext);
    bounded_output out(codec::lz4, in.size(), cap);
    std::size_t pos = 0;
    for (;;) {
        auto space = out.space();
        std::size_t dst_size = space.size();
        std::size_t src_size = in.size() - pos;
        const size_t hint = LZ4F_decompress(ctx.get(), space.data(), &dst_size, in.data() + pos,
                                            &src_size, nullptr);
        if (LZ4F_isError(hint)) corrupt(codec::lz4, LZ4F_getErrorName(hint));
        pos += src_size;
        out.commit(dst_size);
        if (hint == 0) break;  // frame complete
        if (pos == in.size() && dst_size == 0) corrupt(codec::lz4, "truncated frame");
    }
    return out.finish();
}

// ---- zstd ----

std::vector<std::byte> zstd_compress(std::span<const std::byte> in, int level) {
    std::vector<std::byte> out(ZSTD_compressBound(in.size()));
    const size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(),
                                   level < 0 ? ZSTD_CLEVEL_DEFAULT : level);
    if (ZSTD_isError(n))
        throw kb::error(error_class::fatal, "COMPRESSION_FAILED", ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

std::vector<std::byte> zstd_decompress(std::span<const std::byte> in, std::size_t cap) {
    std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!ctx) corrupt(codec::zstd, "cannot create context");
    const auto content = ZSTD_getFrameContentSize(in.data(), in.size());
    const bool known = content != ZSTD_CONTENTSIZE_UNKNOWN && content != ZSTD_CONTENTSIZE_ERROR;
    bounded_output out(codec::zstd, in.size(), cap,
                       known ? std::size_t(std::min<unsigned long long>(content, cap)) : 0);
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    size_t rc = 1;
    while (rc != 0) {
        auto space = out.space();
        ZSTD_outBuffer dst{space.data(), space.size(), 0};
        rc = ZSTD_decompressStream(ctx.get(), &dst, &src);
        if (ZSTD_isError(rc)) corrupt(codec::zstd, ZSTD_getErrorName(rc));
        out.commit(dst.pos);
        if (rc != 0 && src.pos == src.size && dst.pos < dst.size)
            corrupt(codec::zstd, "truncated frame");
        // A finished frame followed by more input: another frame follows.
        if (rc == 0 && src.pos < src.size) rc = 1;
    }
    return out.finish();
}

}  // namespace

std::string_view codec_name(codec c) {
    switch (c) {
        case codec::none:
            return "none";
        case codec::gzip:
            return "gzip";
        case codec::snappy:
            return "snappy";
        case codec::lz4:
            return "lz4";
        case codec::zstd:
            return "zstd";
    }
    return "unknown";
}

std::optional<codec> parse_codec(std::string_view name) {
    for (auto c : {codec::none, codec::gzip, codec::snappy, codec::lz4, codec::zstd})
        if (codec_name(c) == name) return c;
    return std::nullopt;
}

std::vector<std::byte> compress(codec c, std::span<const std::byte> input, int level) {
    switch (c) {
        case codec::none:
            return {input.begin(), input.end()};
        case codec::gzip:
            return gzip_compress(input, level);
        case codec::snappy:
            return snappy_compress(input);
        case codec::lz4:
            return lz4_compress(input, level);
        case codec::zstd:
            return zstd_compress(input, level);
    }
    throw kb::error(error_class::fatal, "UNSUPPORTED_COMPRESSION_TYPE",
                    fmt::format("kafka protocol: unknown codec {}", int(c)));
}

std::vector<std::byte> decompress(codec c, std::span<const std::byte> input,
                                  std::size_t max_output) {
    switch (c) {
        case codec::none:
            if (input.size() > max_output) too_large(c, max_output);
            return {input.begin(), input.end()};
        case codec::gzip:
            return gzip_decompress(input, max_output);
        case codec::snappy:
            return snappy_decompress(input, max_output);
        case codec::lz4:
            return lz4_decompress(input, max_output);
        case codec::zstd:
            return zstd_decompress(input, max_output);
    }
    throw kb::error(error_class::fatal, "UNSUPPORTED_COMPRESSION_TYPE",
                    fmt::format("kafka protocol: unknown codec {}", int(c)));
}

}  // namespace kb::kafka::protocol
