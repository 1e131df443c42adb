// Segments: round trips for every codec, frame cutting, bounded output, seeking.
#include "format_support.hpp"

#include <kb/storage/format/segment_reader.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <thread>

using namespace kb;
using namespace kb::storage;
using namespace kb::storage::format;
using kb::test::run;

namespace {

// Batches of varied sizes, one far larger than a frame.
std::vector<kb::test::built_batch> sample_batches() {
    std::vector<kb::test::built_batch> out;
    std::int64_t offset = 100;
    for (int i = 0; i < 40; ++i) {
        std::size_t size = i == 17 ? 3 * 1024 * 1024 : 1000 + (i * 7919) % 60'000;
        int records = 1 + i % 9;
        out.push_back(kb::test::make_batch(offset, records, 1'700'000'000'000 + i * 10, size, i));
        offset += records + (i % 5 == 0 ? 3 : 0);  // gaps, as after compaction
    }
    return out;
}

struct written {
    std::vector<shared_buffer> chunks;
    segment_summary summary;
    std::string bytes;
};

written write_segment(const std::vector<kb::test::built_batch>& batches, segment_writer_options o) {
    segment_writer w(std::move(o));
    written out;
    for (auto& b : batches)
        for (auto& c : w.add(b.bytes, b.meta)) out.chunks.push_back(c);
    for (auto& c : w.finish()) out.chunks.push_back(c);
    out.summary = w.summary();
    out.bytes = kb::test::concat(out.chunks);
    return out;
}

const codec all_codecs[] = {codec::zstd, codec::lz4, codec::gzip, codec::snappy, codec::none};

}  // namespace

BOOST_AUTO_TEST_SUITE(segment)

BOOST_DATA_TEST_CASE(round_trip_is_byte_exact, boost::unit_test::data::make(all_codecs), c) {
    auto batches = sample_batches();
    auto w = write_segment(batches, {.topic = "orders",
                                     .partition = 7,
                                     .compression = c,
                                     .max_frame_raw = 256 * 1024,
                                     .chunk_size = 64 * 1024});
    BOOST_TEST(w.summary.first_offset == batches.front().meta.first_offset);
    BOOST_TEST(w.summary.last_offset == batches.back().meta.last_offset);
    BOOST_TEST(w.summary.stored_bytes == w.bytes.size());
    BOOST_TEST(w.summary.crc32c == crc32c(runtime::as_bytes(w.bytes)));
    BOOST_TEST(w.summary.frames > 4u);
    if (c != codec::none) {
        for (auto& ch : w.chunks) BOOST_TEST(ch.size() <= 64u * 1024);
        // Every fourth byte here is random, which leaves snappy (it matches 4 bytes
        // at least) nothing to find: it stores such chunks as they are, 8 bytes more
        // each (snappy_frame_test checks that it compresses what it can).
        if (c != codec::snappy) BOOST_TEST(w.summary.stored_bytes < w.summary.raw_bytes);
    }

    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    auto fs = make_fs_backend(io.get_executor(), dir.path);
    run(io, fs->put("seg", shared_buffer::copy_of(w.bytes)));
    auto reader = run(io, segment_reader::open(*fs, "seg"));
    BOOST_TEST(reader.footer().topic == "orders");
    BOOST_TEST(reader.footer().partition == 7);
    BOOST_TEST((reader.header().compression == c));
    std::size_t i = 0;
    while (auto frame = run(io, reader.next())) {
        BOOST_TEST((frame->info.raw_size <= 256u * 1024 || frame->info.batch_count == 1));
        for (auto& b : split_batches(frame->raw)) {
            BOOST_REQUIRE(i < batches.size());
            BOOST_TEST((b.as_string_view() == batches[i++].bytes.as_string_view()));
        }
    }
    BOOST_TEST(i == batches.size());
    auto footer = verify_segment(runtime::as_bytes(w.bytes), "mem");
    BOOST_TEST(footer.record_count == w.summary.record_count);
}

BOOST_AUTO_TEST_CASE(a_batch_larger_than_a_frame_gets_a_frame_of_its_own) {
    std::vector<kb::test::built_batch> batches{kb::test::make_batch(0, 1, 0, 100, 1),
                                               kb::test::make_batch(1, 1, 0, 2'000'000, 2),
                                               kb::test::make_batch(2, 1, 0, 100, 3)};
    auto w = write_segment(batches, {.topic = "t", .max_frame_raw = 1024 * 1024});
    auto footer = verify_segment(runtime::as_bytes(w.bytes), "mem");
    BOOST_REQUIRE(footer.frames.size() == 3u);
    BOOST_TEST(footer.frames[1].raw_size == batches[1].bytes.size());
    BOOST_TEST(footer.frames[1].first_offset == 1);
}

BOOST_AUTO_TEST_CASE(writer_rejects_what_is_not_a_following_v2_batch) {
    segment_writer w({.topic = "t"});
    auto a = kb::test::make_batch(10, 2, 0, 100, 1);
    w.add(a.bytes, a.meta);
    auto overlap = kb::test::make_batch(11, 1, 0, 100, 2);
    BOOST_CHECK_THROW(w.add(overlap.bytes, overlap.meta), std::invalid_argument);
    auto b = kb::test::make_batch(20, 3, 0, 100, 3);
    auto lying = b.meta;
    lying.record_count = 5;
    BOOST_CHECK_THROW(w.add(b.bytes, lying), std::invalid_argument);
    BOOST_CHECK_THROW(w.add(b.bytes.slice(0, 80), b.meta), std::invalid_argument);
    BOOST_CHECK_THROW(w.add(shared_buffer::copy_of(std::string(70, 'x')), b.meta),
                      std::invalid_argument);
    w.add(b.bytes, b.meta);  // still usable after the rejections
    BOOST_TEST(w.batch_count() == 2u);
    segment_writer empty({.topic = "t"});
    BOOST_CHECK_THROW(empty.finish(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(seek_reads_only_the_frames_it_needs) {
    // 30 frames of one incompressible-ish 40 KiB batch each, codec none so the
    // object is large enough that open() cannot read it all with its tail read.
    std::vector<kb::test::built_batch> batches;
    for (int i = 0; i < 30; ++i) batches.push_back(kb::test::make_batch(i * 10, 10, i, 40'000, i));
    auto w =
        write_segment(batches, {.topic = "t", .compression = codec::none, .max_frame_raw = 40'100});
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    auto fs = make_fs_backend(io.get_executor(), dir.path);
    run(io, fs->put("s.seg", shared_buffer::copy_of(w.bytes)));
    kb::test::wrapping_backend counting(*fs);

    auto reader = run(io, segment_reader::open(counting, "s.seg"));
    BOOST_REQUIRE(reader.footer().frames.size() == 30u);
    auto opened_with = counting.gets.size();
    BOOST_TEST(opened_with == 2u);  // the tail (trailer + footer) and the header

    reader.seek(234);  // inside frame 23 (offsets 230..239)
    auto frame = run(io, reader.next());
    BOOST_REQUIRE(frame);
    BOOST_TEST(frame->index == 23u);
    BOOST_REQUIRE(counting.gets.size() == opened_with + 1);
    auto& f23 = reader.footer().frames[23];
    BOOST_TEST(counting.gets.back()->offset == f23.stored_offset);
    BOOST_TEST(counting.gets.back()->length == f23.stored_size);

    BOOST_TEST(run(io, reader.next())->index == 24u);
    reader.seek(10'000);  // past the end: nothing to read, nothing fetched
    auto before = counting.gets.size();
    BOOST_TEST(!run(io, reader.next()));
    BOOST_TEST(counting.gets.size() == before);
}

// Frames cut here, compressed on other threads (finishing in any order) and put back
// in order make the same object as add() compressing in place: the same frames and
// batches, and the same bytes (but for lz4, whose reused context may pick other
// matches: the frames then differ in bytes, not in what they decode to).
BOOST_DATA_TEST_CASE(frames_packed_elsewhere_make_the_same_segment,
                     boost::unit_test::data::make(all_codecs), c) {
    auto batches = sample_batches();
    segment_writer_options o{.topic = "orders",
                             .partition = 7,
                             .compression = c,
                             .max_frame_raw = 256 * 1024,
                             .chunk_size = 64 * 1024};
    auto in_place = write_segment(batches, o);

    segment_writer w(o);
    std::vector<raw_frame> cut;
    for (auto& b : batches)
        if (auto f = w.cut(b.bytes, b.meta)) cut.push_back(std::move(*f));
    if (auto f = w.cut_last()) cut.push_back(std::move(*f));
    BOOST_TEST(cut.size() == in_place.summary.frames);
    std::vector<packed_frame> packed(cut.size());
    std::vector<std::thread> threads;
    for (std::size_t i = cut.size(); i-- > 0;)  // the last frame is packed first
        threads.emplace_back([&, i] { packed[i] = pack_frame(c, 0, std::move(cut[i])); });
    for (auto& t : threads) t.join();
    std::vector<shared_buffer> chunks;
    auto keep = [&](std::vector<shared_buffer> out) {
        chunks.insert(chunks.end(), out.begin(), out.end());
    };
    keep(w.put(std::move(packed[0])));
    // A frame out of turn is refused: order is the caller's to keep.
    BOOST_CHECK_THROW(w.put(packed.back()), std::logic_error);
    for (std::size_t i = 1; i < packed.size(); ++i) keep(w.put(std::move(packed[i])));
    keep(w.finish());
    auto bytes = kb::test::concat(chunks);
    auto span = runtime::as_bytes(bytes);
    auto ref_span = runtime::as_bytes(in_place.bytes);
    auto footer = verify_segment(span, "elsewhere.seg");
    auto reference = verify_segment(ref_span, "in_place.seg");
    BOOST_REQUIRE(footer.frames.size() == reference.frames.size());
    for (std::size_t i = 0; i < footer.frames.size(); ++i) {
        const auto& f = footer.frames[i];
        const auto& r = reference.frames[i];
        BOOST_TEST(f.first_offset == r.first_offset);
        BOOST_TEST(f.raw_size == r.raw_size);
        auto got = decode_frame(c, f, i, span.subspan(f.stored_offset, f.stored_size), "e");
        auto want = decode_frame(c, r, i, ref_span.subspan(r.stored_offset, r.stored_size), "r");
        BOOST_TEST(got.raw.as_string_view() == want.raw.as_string_view());
    }
    if (c != codec::lz4) BOOST_TEST(bytes == in_place.bytes);
    BOOST_TEST(w.summary().record_count == in_place.summary.record_count);
}

BOOST_AUTO_TEST_CASE(add_and_cut_do_not_mix_and_finish_waits_for_every_frame) {
    auto batches = sample_batches();
    segment_writer w({.topic = "t", .compression = codec::zstd, .max_frame_raw = 256 * 1024});
    BOOST_REQUIRE(!w.cut(batches[0].bytes, batches[0].meta));
    BOOST_CHECK_THROW(w.add(batches[1].bytes, batches[1].meta), std::logic_error);
    BOOST_CHECK_THROW(w.finish(), std::logic_error);  // the open frame was never cut
    auto f = w.cut_last();
    BOOST_REQUIRE(f);
    BOOST_CHECK_THROW(w.finish(), std::logic_error);  // cut, not yet put
    w.put(pack_frame(codec::zstd, 0, std::move(*f)));
    BOOST_CHECK_NO_THROW(w.finish());
}

BOOST_AUTO_TEST_CASE(codec_names_round_trip) {
    for (auto c : all_codecs) BOOST_TEST((parse_codec(to_string(c)) == c));
    BOOST_CHECK_THROW(parse_codec("brotli"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
