#include "codec.hpp"

#include <fmt/format.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <stdexcept>
#include <vector>

namespace kb::storage::format::detail {

namespace {

constexpr std::size_t piece = 64 * 1024;  // input fed to a codec at a time

class none_compressor final : public frame_compressor {
  public:
    void begin() override {}
    void feed(const runtime::shared_buffer& in, frame_sink& out) override { out.append_shared(in); }
    void end(frame_sink&) override {}
};

class zstd_compressor final : public frame_compressor {
  public:
    explicit zstd_compressor(int level) : ctx_(ZSTD_createCCtx()), scratch_(ZSTD_CStreamOutSize()) {
        if (!ctx_) throw std::bad_alloc();
        ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level);
        ZSTD_CCtx_setParameter(ctx_, ZSTD_c_checksumFlag, 0);  // frames carry our CRC32C
    }
    ~zstd_compressor() override { ZSTD_freeCCtx(ctx_); }
    void begin() override { ZSTD_CCtx_reset(ctx_, ZSTD_reset_session_only); }
    void feed(const runtime::shared_buffer& in, frame_sink& out) override {
        ZSTD_inBuffer src{in.data(), in.size(), 0};
        while (src.pos < src.size) run(src, ZSTD_e_continue, out);
    }
    void end(frame_sink& out) override {
        ZSTD_inBuffer src{nullptr, 0, 0};
        while (run(src, ZSTD_e_end, out) != 0) {
        }
    }

  private:
    std::size_t run(ZSTD_inBuffer& src, ZSTD_EndDirective mode, frame_sink& out) {
        ZSTD_outBuffer dst{scratch_.data(), scratch_.size(), 0};
        auto left = ZSTD_compressStream2(ctx_, &dst, &src, mode);
        if (ZSTD_isError(left))
            throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(left));
        out.append(std::span(scratch_).first(dst.pos));
        return left;
    }
    ZSTD_CCtx* ctx_;
    std::vector<std::byte> scratch_;
};

class lz4_compressor final : public frame_compressor {
  public:
    explicit lz4_compressor(int level) {
        if (LZ4F_isError(LZ4F_createCompressionContext(&ctx_, LZ4F_VERSION)))
            throw std::bad_alloc();
        prefs_.compressionLevel = level;
        prefs_.frameInfo.blockSizeID = LZ4F_max256KB;
        scratch_.resize(LZ4F_compressBound(piece, &prefs_) + LZ4F_HEADER_SIZE_MAX);
    }
    ~lz4_compressor() override { LZ4F_freeCompressionContext(ctx_); }
    void begin() override {
        emit(LZ4F_compressBegin(ctx_, scratch_.data(), scratch_.size(), &prefs_));
    }
    void feed(const runtime::shared_buffer& in, frame_sink& out) override {
        flush_pending(out);
        for (std::size_t off = 0; off < in.size(); off += piece) {
            auto n = std::min(piece, in.size() - off);
            emit(LZ4F_compressUpdate(ctx_, scratch_.data(), scratch_.size(), in.data() + off, n,
                                     nullptr));
            flush_pending(out);
        }
    }
    void end(frame_sink& out) override {
        flush_pending(out);
        emit(LZ4F_compressEnd(ctx_, scratch_.data(), scratch_.size(), nullptr));
        flush_pending(out);
    }

  private:
    void emit(std::size_t n) {
        if (LZ4F_isError(n)) throw std::runtime_error(std::string("lz4: ") + LZ4F_getErrorName(n));
        pending_ = n;
    }
    void flush_pending(frame_sink& out) {
        out.append(std::span(scratch_).first(pending_));
        pending_ = 0;
    }
    LZ4F_cctx* ctx_ = nullptr;
    LZ4F_preferences_t prefs_{};
    std::vector<std::byte> scratch_;
    std::size_t pending_ = 0;
};

class gzip_compressor final : public frame_compressor {
  public:
    explicit gzip_compressor(int level) : level_(level), scratch_(piece) {}
    ~gzip_compressor() override { close(); }
    void begin() override {
        close();
        // windowBits 15 + 16: a gzip member rather than a raw zlib stream.
        if (deflateInit2(&z_, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            throw std::runtime_error("gzip: deflateInit2 failed");
        open_ = true;
    }
    void feed(const runtime::shared_buffer& in, frame_sink& out) override {
        for (std::size_t off = 0; off < in.size(); off += piece) {
            auto n = std::min(piece, in.size() - off);
            z_.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data() + off));
            z_.avail_in = static_cast<uInt>(n);
            do run(Z_NO_FLUSH, out);
            while (z_.avail_in > 0);
        }
    }
    void end(frame_sink& out) override {
        while (run(Z_FINISH, out) != Z_STREAM_END) {
        }
        close();
    }

  private:
    int run(int flush, frame_sink& out) {
        z_.next_out = reinterpret_cast<Bytef*>(scratch_.data());
        z_.avail_out = static_cast<uInt>(scratch_.size());
        int rc = deflate(&z_, flush);
        if (rc == Z_STREAM_ERROR) throw std::runtime_error("gzip: deflate failed");
        out.append(std::span(scratch_).first(scratch_.size() - z_.avail_out));
        return rc;
    }
    void close() {
        if (open_) deflateEnd(&z_);
        open_ = false;
    }
    int level_;
    z_stream z_{};
    bool open_ = false;
    std::vector<std::byte> scratch_;
};

void check_level(codec c, int level, int lo, int hi) {
    if (level < lo || level > hi)
        throw std::invalid_argument(
            fmt::format("{} level {} is outside {}..{}", to_string(c), level, lo, hi));
}

}  // namespace

std::unique_ptr<frame_compressor> make_compressor(codec c, int level) {
    switch (c) {
        case codec::none:
            return std::make_unique<none_compressor>();
        case codec::zstd:
            if (level == 0) level = 3;
            check_level(c, level, ZSTD_minCLevel(), ZSTD_maxCLevel());
            return std::make_unique<zstd_compressor>(level);
        case codec::lz4:
            check_level(c, level, 0, LZ4F_compressionLevel_max());
            return std::make_unique<lz4_compressor>(level);
        case codec::gzip:
            if (level == 0) level = 6;
            check_level(c, level, 1, 9);
            return std::make_unique<gzip_compressor>(level);
        case codec::snappy:
            return make_snappy_compressor();  // no levels: `level` is ignored
    }
    throw std::invalid_argument("unknown codec");
}

}  // namespace kb::storage::format::detail
