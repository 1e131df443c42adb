// Every damaged byte and every truncation of a segment is caught, and the
// error names the object and the byte position.
#include "format_support.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/format/segment_reader.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/test/unit_test.hpp>

#include <set>

using namespace kb;
using namespace kb::storage;
using namespace kb::storage::format;
using kb::test::run;

namespace {

std::string sample_segment(codec c) {
    segment_writer w({.topic = "t", .compression = c, .max_frame_raw = 8 * 1024});
    std::string out;
    std::int64_t off = 0;
    for (int i = 0; i < 12; ++i) {
        auto b = kb::test::make_batch(off, 3, 1000 + i, 2000 + i * 300, i);
        off += 3;
        out += kb::test::concat(w.add(b.bytes, b.meta));
    }
    return out + kb::test::concat(w.finish());
}

// Positions across header, every frame, the footer and the trailer.
std::set<std::size_t> sample_positions(const std::string& seg) {
    auto footer = verify_segment(runtime::as_bytes(seg), "x");
    std::set<std::size_t> pos;
    for (std::size_t i = 0; i < header_size; ++i) pos.insert(i);
    for (auto& f : footer.frames) {
        pos.insert(f.stored_offset);
        pos.insert(f.stored_offset + f.stored_size / 2);
        pos.insert(f.stored_offset + f.stored_size - 1);
    }
    auto footer_start = footer.frames.back().stored_offset + footer.frames.back().stored_size;
    for (std::size_t p = footer_start; p < seg.size() - trailer_size; p += 7) pos.insert(p);
    for (std::size_t p = seg.size() - trailer_size; p < seg.size(); ++p) pos.insert(p);
    return pos;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const kb::error& e) {
        return std::string(e.code()) + ": " + e.what();
    }
    return "(no error)";
}

bool mentions(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(segment_corruption)

BOOST_AUTO_TEST_CASE(a_flipped_byte_anywhere_is_detected_in_memory) {
    for (auto c : {codec::zstd, codec::snappy, codec::none}) {
        auto seg = sample_segment(c);
        auto positions = sample_positions(seg);
        BOOST_TEST(positions.size() > 100u);
        for (auto p : positions) {
            auto bad = seg;
            bad[p] = static_cast<char>(bad[p] ^ 0x20);
            auto msg =
                error_of([&] { verify_segment(runtime::as_bytes(bad), "s3://bkt/t/0/x.seg"); });
            BOOST_TEST_CONTEXT("codec " << to_string(c) << ", byte " << p << ": " << msg) {
                BOOST_TEST(mentions(msg, "segment s3://bkt/t/0/x.seg: "));
                BOOST_TEST(mentions(msg, " at byte "));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_flipped_frame_byte_names_the_frame_and_its_position) {
    auto seg = sample_segment(codec::lz4);
    auto footer = verify_segment(runtime::as_bytes(seg), "x");
    BOOST_REQUIRE(footer.frames.size() > 3u);
    auto& f3 = footer.frames[3];
    auto bad = seg;
    bad[f3.stored_offset + 5] ^= 0x01;
    auto msg = error_of([&] { verify_segment(runtime::as_bytes(bad), "obj"); });
    BOOST_TEST(
        msg ==
        fmt::format("CorruptSegment: segment obj: frame 3 at byte {}: checksum mismatch "
                    "(index says {:08x}, data has {:08x})",
                    f3.stored_offset, f3.checksum,
                    crc32c(runtime::as_bytes(bad).subspan(f3.stored_offset, f3.stored_size))));
}

BOOST_AUTO_TEST_CASE(the_reader_reports_damage_with_the_object_path) {
    auto seg = sample_segment(codec::gzip);
    auto footer = verify_segment(runtime::as_bytes(seg), "x");
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    auto fs = make_fs_backend(io.get_executor(), dir.path);
    auto bad = seg;
    bad[footer.frames[5].stored_offset + 1] ^= 0x40;
    run(io, fs->put("segs/a.seg", shared_buffer::copy_of(bad)));
    auto msg = error_of([&] {
        auto r = run(io, segment_reader::open(*fs, "segs/a.seg"));
        while (run(io, r.next())) {
        }
    });
    auto where = fmt::format("segment {}/segs/a.seg: frame 5 at byte {}: checksum mismatch",
                             fs->describe(), footer.frames[5].stored_offset);
    BOOST_TEST(mentions(msg, where), msg);
}

BOOST_AUTO_TEST_CASE(kafka_crc_is_checked_when_the_frame_checksum_agrees) {
    // Damage a batch before writing: the frame CRC covers the damaged bytes, so
    // only the Kafka batch CRC can tell.
    auto b = kb::test::make_batch(0, 2, 0, 500, 9);
    auto raw = std::string(b.bytes.as_string_view());
    raw[200] ^= 0x10;
    segment_writer w({.topic = "t", .compression = codec::none});
    auto seg = kb::test::concat(w.add(shared_buffer::copy_of(raw), b.meta));
    seg += kb::test::concat(w.finish());
    auto msg = error_of([&] { verify_segment(runtime::as_bytes(seg), "obj"); });
    BOOST_TEST(
        mentions(msg, "frame 0 at byte 24: batch 0 (raw byte 0): Kafka record batch CRC mismatch"),
        msg);
    segment_read_options lax{.verify_kafka_crc = false};
    BOOST_CHECK_NO_THROW(verify_segment(runtime::as_bytes(seg), "obj", lax));
}

BOOST_AUTO_TEST_CASE(a_truncated_segment_is_detected) {
    auto seg = sample_segment(codec::zstd);
    for (std::size_t len : {std::size_t{0}, std::size_t{10}, std::size_t{51}, seg.size() / 2,
                            seg.size() - trailer_size, seg.size() - 1}) {
        auto cut = seg.substr(0, len);
        auto msg = error_of([&] { verify_segment(runtime::as_bytes(cut), "obj"); });
        BOOST_TEST_CONTEXT("length " << len << ": " << msg) {
            BOOST_TEST(msg.starts_with("TruncatedSegment: segment obj: "));
        }
    }
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    auto fs = make_fs_backend(io.get_executor(), dir.path);
    run(io, fs->put("cut.seg", shared_buffer::copy_of(seg.substr(0, seg.size() - 100))));
    auto msg = error_of([&] { run(io, segment_reader::open(*fs, "cut.seg")); });
    BOOST_TEST(
        mentions(msg, "TruncatedSegment: segment " + fs->describe() + "/cut.seg: trailer at byte"),
        msg);
    BOOST_TEST(mentions(error_of([&] { run(io, segment_reader::open(*fs, "none.seg")); }),
                        "does not exist"));
}

BOOST_AUTO_TEST_SUITE_END()
