// Snappy frames in Google's framing format (framing_format.txt in the snappy
// sources): a stream identifier chunk, then chunks of at most 64 KiB of data,
// each compressed with libsnappy (the same library the Kafka protocol codec
// uses for producer batches) or stored as is when compression does not help,
// each carrying the masked CRC32C of its uncompressed data. Any snappy stream
// reader (snzip, python-snappy's stream decoder, Go's snappy.Reader) decodes it.

#include "bytes.hpp"
#include "codec.hpp"

#include <kb/storage/checksum.hpp>

#include <snappy.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace kb::storage::format::detail {

namespace {

constexpr std::size_t max_chunk_data = 64 * 1024;  // the format's limit per chunk
constexpr std::uint8_t chunk_compressed = 0x00;
constexpr std::uint8_t chunk_uncompressed = 0x01;
constexpr std::uint8_t chunk_stream_id = 0xff;
constexpr char stream_id[] = {'s', 'N', 'a', 'P', 'p', 'Y'};

// The format stores CRCs rotated and offset so a CRC of data that holds CRCs
// does not degenerate.
std::uint32_t masked_crc(std::span<const std::byte> data) {
    auto crc = crc32c(data);
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

void put_chunk_header(std::vector<std::byte>& out, std::uint8_t type, std::size_t length) {
    out.push_back(std::byte{type});
    for (int i = 0; i < 3; ++i) out.push_back(static_cast<std::byte>(length >> (8 * i)));
}

class snappy_compressor final : public frame_compressor {
  public:
    snappy_compressor() { pending_.reserve(max_chunk_data); }
    void begin() override {
        pending_.clear();
        started_ = false;
    }
    void feed(const runtime::shared_buffer& in, frame_sink& out) override {
        auto rest = in.bytes();
        while (!rest.empty()) {
            auto n = std::min(rest.size(), max_chunk_data - pending_.size());
            pending_.insert(pending_.end(), rest.begin(), rest.begin() + n);
            rest = rest.subspan(n);
            if (pending_.size() == max_chunk_data) emit_chunk(out);
        }
    }
    void end(frame_sink& out) override {
        if (!pending_.empty() || !started_) emit_chunk(out);
    }

  private:
    // One chunk of pending_ (the stream identifier first, once per frame).
    void emit_chunk(frame_sink& out) {
        scratch_.clear();
        if (!started_) {
            put_chunk_header(scratch_, chunk_stream_id, sizeof stream_id);
            for (char ch : stream_id) scratch_.push_back(static_cast<std::byte>(ch));
            started_ = true;
        }
        if (!pending_.empty()) append_data_chunk();
        out.append(scratch_);
        pending_.clear();
    }
    void append_data_chunk() {
        packed_.resize(snappy::MaxCompressedLength(pending_.size()));
        std::size_t packed_size = 0;
        snappy::RawCompress(reinterpret_cast<const char*>(pending_.data()), pending_.size(),
                            reinterpret_cast<char*>(packed_.data()), &packed_size);
        bool store = packed_size >= pending_.size();  // incompressible: keep the bytes
        std::span<const std::byte> body =
            store ? std::span<const std::byte>(pending_)
                  : std::span<const std::byte>(packed_).first(packed_size);
        put_chunk_header(scratch_, store ? chunk_uncompressed : chunk_compressed, 4 + body.size());
        put_le(scratch_, masked_crc(pending_));
        scratch_.insert(scratch_.end(), body.begin(), body.end());
    }

    std::vector<std::byte> pending_;  // data of the chunk being filled
    std::vector<std::byte> packed_;
    std::vector<std::byte> scratch_;
    bool started_ = false;
};

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("snappy: " + what);
}

// Decodes one data chunk's body into `out`, returning the bytes written.
std::size_t inflate_chunk(std::uint8_t type, std::span<const std::byte> body,
                          std::span<std::byte> out) {
    if (body.size() < 4) fail("data chunk shorter than its checksum");
    auto expected = get_le<std::uint32_t>(body.data());
    auto data = body.subspan(4);
    std::size_t n = data.size();
    if (type == chunk_compressed &&
        !snappy::GetUncompressedLength(reinterpret_cast<const char*>(data.data()), data.size(), &n))
        fail("bad compressed chunk length");
    if (n > max_chunk_data) fail("chunk holds more than 64 KiB");
    if (n > out.size()) fail("frame decodes to more than its recorded raw size");
    if (type == chunk_uncompressed) {
        if (n) std::memcpy(out.data(), data.data(), n);
    } else if (!snappy::RawUncompress(reinterpret_cast<const char*>(data.data()), data.size(),
                                      reinterpret_cast<char*>(out.data()))) {
        fail("corrupt compressed chunk");
    }
    if (masked_crc(out.first(n)) != expected) fail("chunk checksum mismatch");
    return n;
}

}  // namespace

std::unique_ptr<frame_compressor> make_snappy_compressor() {
    return std::make_unique<snappy_compressor>();
}

void inflate_snappy(std::span<const std::byte> in, std::span<std::byte> out) {
    std::size_t pos = 0, written = 0;
    bool identified = false;
    while (pos < in.size()) {
        if (in.size() - pos < 4) fail("chunk header cut short");
        auto type = static_cast<std::uint8_t>(in[pos]);
        std::size_t length = std::to_integer<std::size_t>(in[pos + 1]) |
                             std::to_integer<std::size_t>(in[pos + 2]) << 8 |
                             std::to_integer<std::size_t>(in[pos + 3]) << 16;
        pos += 4;
        if (length > in.size() - pos) fail("chunk runs past the end of the frame");
        auto body = in.subspan(pos, length);
        pos += length;
        if (type == chunk_stream_id) {
            if (length != sizeof stream_id || std::memcmp(body.data(), stream_id, length) != 0)
                fail("bad stream identifier");
            identified = true;
        } else if (!identified) {
            fail("frame does not start with the stream identifier");
        } else if (type == chunk_compressed || type == chunk_uncompressed) {
            written += inflate_chunk(type, body, out.subspan(written));
        } else if (type < 0x80) {
            fail("reserved unskippable chunk type " + std::to_string(type));
        }  // 0x80..0xfe: skippable chunks, padding (0xfe) included
    }
    if (!identified) fail("empty frame");
    if (written != out.size()) fail("frame decodes to less than its recorded raw size");
}

}  // namespace kb::storage::format::detail
