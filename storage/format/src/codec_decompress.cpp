#include "codec.hpp"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace kb::storage::format::detail {

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what);
}

void inflate_zstd(std::span<const std::byte> in, std::span<std::byte> out) {
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!ctx) throw std::bad_alloc();
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    ZSTD_outBuffer dst{out.data(), out.size(), 0};
    for (;;) {
        auto in_before = src.pos, out_before = dst.pos;
        auto left = ZSTD_decompressStream(ctx.get(), &dst, &src);
        if (ZSTD_isError(left)) fail(std::string("zstd: ") + ZSTD_getErrorName(left));
        if (left == 0) break;                               // frame complete
        if (src.pos == in_before && dst.pos == out_before)  // no progress: out of room or input
            fail(dst.pos == dst.size ? "zstd: frame decodes to more than its recorded raw size"
                                     : "zstd: frame ends early");
    }
    if (src.pos != src.size) fail("zstd: bytes after the end of the frame");
    if (dst.pos != dst.size) fail("zstd: frame decodes to less than its recorded raw size");
}

void inflate_lz4(std::span<const std::byte> in, std::span<std::byte> out) {
    LZ4F_dctx* raw = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&raw, LZ4F_VERSION))) throw std::bad_alloc();
    std::unique_ptr<LZ4F_dctx, decltype(&LZ4F_freeDecompressionContext)> ctx(
        raw, LZ4F_freeDecompressionContext);
    std::size_t in_pos = 0, out_pos = 0;
    for (;;) {
        std::size_t src_n = in.size() - in_pos, dst_n = out.size() - out_pos;
        auto hint = LZ4F_decompress(ctx.get(), out.data() + out_pos, &dst_n, in.data() + in_pos,
                                    &src_n, nullptr);
        if (LZ4F_isError(hint)) fail(std::string("lz4: ") + LZ4F_getErrorName(hint));
        in_pos += src_n;
        out_pos += dst_n;
        if (hint == 0) break;          // frame complete
        if (src_n == 0 && dst_n == 0)  // no progress: out of room or input
            fail(out_pos == out.size() ? "lz4: frame decodes to more than its recorded raw size"
                                       : "lz4: frame ends early");
    }
    if (in_pos != in.size()) fail("lz4: bytes after the end of the frame");
    if (out_pos != out.size()) fail("lz4: frame decodes to less than its recorded raw size");
}

void inflate_gzip(std::span<const std::byte> in, std::span<std::byte> out) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) fail("gzip: inflateInit2 failed");
    std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&z, inflateEnd);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&z, Z_FINISH);
    if (rc == Z_BUF_ERROR && z.avail_out == 0)
        fail("gzip: member decodes to more than its recorded raw size");
    if (rc == Z_BUF_ERROR) fail("gzip: member ends early");
    if (rc != Z_STREAM_END) fail(std::string("gzip: ") + (z.msg ? z.msg : "corrupt data"));
    if (z.avail_in != 0) fail("gzip: bytes after the end of the member");
    if (z.avail_out != 0) fail("gzip: member decodes to less than its recorded raw size");
}

}  // namespace

void decompress_frame(codec c, std::span<const std::byte> in, std::span<std::byte> out) {
    if (c == codec::gzip && (in.size() > UINT32_MAX || out.size() > UINT32_MAX))
        fail("gzip: frame larger than 4 GiB");
    switch (c) {
        case codec::none:
            if (in.size() != out.size())
                fail("stored size differs from raw size for an uncompressed frame");
            if (!in.empty()) std::memcpy(out.data(), in.data(), in.size());
            return;
        case codec::zstd:
            return inflate_zstd(in, out);
        case codec::lz4:
            return inflate_lz4(in, out);
        case codec::gzip:
            return inflate_gzip(in, out);
        case codec::snappy:
            return inflate_snappy(in, out);
    }
    fail("unknown codec");
}

}  // namespace kb::storage::format::detail
