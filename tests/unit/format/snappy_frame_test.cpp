// Snappy segment frames: snappy's framing format, decoded here by a reader
// written from the format's description (not ours), plus the decoder's own
// checks on frames whose segment-level CRC cannot help (built by hand).
#include "../../../storage/format/src/codec.hpp"
#include "format_support.hpp"

#include <kb/storage/format/segment_reader.hpp>

#include <boost/test/unit_test.hpp>

#include <snappy.h>

using namespace kb;
using namespace kb::storage;
using namespace kb::storage::format;

namespace {

std::uint32_t masked(std::span<const std::byte> data) {
    auto c = crc32c(data);
    return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

std::uint32_t le32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
    return v;
}

// A framing-format reader from framing_format.txt; counts the chunks it saw.
struct plain_reader {
    std::string out;
    int compressed = 0, stored = 0;
    void read(const std::string& f) {
        BOOST_REQUIRE(f.substr(0, 10) == std::string("\xff\x06\x00\x00sNaPpY", 10));
        for (std::size_t pos = 10; pos < f.size();) {
            auto type = static_cast<unsigned char>(f[pos]);
            std::size_t len = le32(f, pos) >> 8;
            std::string body = f.substr(pos + 8, len - 4);
            std::string data = body;
            if (type == 0x00) {
                ++compressed;
                BOOST_REQUIRE(snappy::Uncompress(body.data(), body.size(), &data));
            } else {
                BOOST_REQUIRE(type == 0x01);
                ++stored;
            }
            BOOST_TEST(data.size() <= 65536u);
            BOOST_TEST(le32(f, pos + 4) == masked(runtime::as_bytes(data)));
            out += data;
            pos += 4 + len;
        }
    }
};

std::string frame_of(const std::string& raw) {
    struct collect : detail::frame_sink {
        std::string bytes;
        void append(std::span<const std::byte> b) override {
            bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
        }
        void append_shared(runtime::shared_buffer b) override { bytes += b.as_string_view(); }
    } sink;
    auto c = detail::make_compressor(codec::snappy, 0);
    c->begin();
    // Fed in uneven pieces, as batches arrive.
    for (std::size_t at = 0; at < raw.size(); at += 50'000)
        c->feed(runtime::shared_buffer::copy_of(raw.substr(at, 50'000)), sink);
    c->end(sink);
    return sink.bytes;
}

std::string inflate(const std::string& frame, std::size_t raw_size) {
    std::string out(raw_size, '\0');
    detail::decompress_frame(codec::snappy, runtime::as_bytes(frame),
                             std::as_writable_bytes(std::span(out)));
    return out;
}

std::string chunk(unsigned char type, const std::string& body) {
    std::string c(1, static_cast<char>(type));
    for (int i = 0; i < 3; ++i) c += static_cast<char>((body.size() >> (8 * i)) & 0xff);
    return c + body;
}

std::string data_chunk(const std::string& data) {  // a stored chunk, built by hand
    std::string crc;
    auto m = masked(runtime::as_bytes(data));
    for (int i = 0; i < 4; ++i) crc += static_cast<char>((m >> (8 * i)) & 0xff);
    return chunk(0x01, crc + data);
}

const std::string stream_id = chunk(0xff, "sNaPpY");

std::string error_of(const std::string& frame, std::size_t raw_size) {
    try {
        inflate(frame, raw_size);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snappy_frames)

BOOST_AUTO_TEST_CASE(a_frame_is_snappys_framing_format) {
    std::string raw;
    for (int i = 0; i < 300'000; ++i) raw += static_cast<char>(i % 97 == 0 ? i * 31 : 'a' + i % 7);
    auto frame = frame_of(raw);
    plain_reader r;
    r.read(frame);
    BOOST_TEST(r.out == raw);
    BOOST_TEST(r.compressed == 5);  // 300,000 bytes in 64 KiB chunks
    BOOST_TEST(frame.size() < raw.size() / 2);
    BOOST_TEST(inflate(frame, raw.size()) == raw);
}

BOOST_AUTO_TEST_CASE(incompressible_data_is_stored_in_uncompressed_chunks) {
    std::string raw(100'000, '\0');
    std::uint32_t x = 12345;
    for (auto& ch : raw) ch = static_cast<char>((x = x * 1103515245 + 12345) >> 23);
    auto frame = frame_of(raw);
    plain_reader r;
    r.read(frame);
    BOOST_TEST(r.stored == 2);
    BOOST_TEST(r.out == raw);
    BOOST_TEST(frame.size() <= raw.size() + 10 + 2 * 8);
    BOOST_TEST(inflate(frame, raw.size()) == raw);
}

BOOST_AUTO_TEST_CASE(the_decoder_skips_padding_and_checks_every_chunk) {
    std::string good = stream_id + data_chunk("hello ") + chunk(0xfe, "pad") + data_chunk("world");
    BOOST_TEST(inflate(good, 11) == "hello world");

    auto bad_crc = good;
    bad_crc[stream_id.size() + 8] ^= 1;  // a data byte of the first chunk
    BOOST_TEST(error_of(bad_crc, 11) == "snappy: chunk checksum mismatch");
    BOOST_TEST(error_of(data_chunk("hello"), 5) ==
               "snappy: frame does not start with the stream identifier");
    BOOST_TEST(error_of(stream_id + chunk(0x02, "xxxx"), 0) ==
               "snappy: reserved unskippable chunk type 2");
    BOOST_TEST(error_of(good, 10) == "snappy: frame decodes to more than its recorded raw size");
    BOOST_TEST(error_of(good, 12) == "snappy: frame decodes to less than its recorded raw size");
    BOOST_TEST(error_of(good.substr(0, good.size() - 2), 11) ==
               "snappy: chunk runs past the end of the frame");
    BOOST_TEST(error_of(stream_id + chunk(0x00, std::string(4, '\0') + "\xff\xff\xff\xff\xff\xff"),
                        8) == "snappy: bad compressed chunk length");
}

BOOST_AUTO_TEST_CASE(snappy_is_codec_4_and_parses_by_name) {
    BOOST_TEST(static_cast<int>(codec::snappy) == 4);
    BOOST_TEST((parse_codec("snappy") == codec::snappy));
    BOOST_TEST(std::string(to_string(codec::snappy)) == "snappy");
    auto h = encode_header({segment_version, codec::snappy});
    BOOST_TEST((decode_header(h, "x").compression == codec::snappy));
}

BOOST_AUTO_TEST_SUITE_END()
