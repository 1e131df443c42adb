// decide(): where a segment ends by bytes, by records (segment_max_records) and at
// a snapshot's end offset, batch by batch.
#include "segment_limits.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace kb::backup;
namespace kp = kb::kafka::protocol;

namespace {

kp::batch_header batch(std::int64_t base, std::int32_t records) {
    kp::batch_header h;
    h.base_offset = base;
    h.last_offset_delta = records - 1;
    h.record_count = records;
    return h;
}

// Feeds batches of `sizes` records (1 KiB each) into segments; returns each
// segment's record count.
std::vector<std::uint64_t> segments_of(const segment_limits& l, const std::vector<int>& sizes) {
    std::vector<std::uint64_t> out;
    segment_fill_state s;
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < sizes.size();) {
        auto b = batch(offset, sizes[i]);
        auto d = decide(l, s, b);
        if (d == batch_decision::take) {
            take(s, b, 1024);
            offset += sizes[i++];
            if (!limits_reached(l, s)) continue;
        }
        BOOST_REQUIRE(s.records > 0);  // a roll never leaves an empty segment
        out.push_back(s.records);
        s = segment_fill_state{offset, 0, 0};
    }
    if (s.records) out.push_back(s.records);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(segment_limits_rules)

BOOST_AUTO_TEST_CASE(max_records_keeps_segments_at_or_below_the_limit) {
    segment_limits l;
    l.max_bytes = 1ull << 30;
    l.max_records = 100;
    auto segs = segments_of(l, {60, 50, 30, 10, 100, 1, 99, 7});
    BOOST_TEST(segs == (std::vector<std::uint64_t>{60, 90, 100, 100, 7}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_batch_larger_than_max_records_goes_alone) {
    segment_limits l;
    l.max_bytes = 1ull << 30;
    l.max_records = 100;
    auto segs = segments_of(l, {10, 150, 20});
    BOOST_TEST(segs == (std::vector<std::uint64_t>{10, 150, 20}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(without_max_records_only_bytes_roll) {
    segment_limits l;
    l.max_bytes = 3 * 1024;  // three batches of 1 KiB
    auto segs = segments_of(l, {60, 50, 30, 10, 100});
    BOOST_TEST(segs == (std::vector<std::uint64_t>{140, 110}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(snapshot_end_and_already_backed_up_batches) {
    segment_limits l;
    l.max_bytes = 1ull << 30;
    l.end_offset = 20;
    segment_fill_state s{5, 0, 0};
    BOOST_TEST((decide(l, s, batch(0, 5)) == batch_decision::skip));
    BOOST_TEST((decide(l, s, batch(0, 6)) == batch_decision::take));  // holds offset 5
    BOOST_TEST((decide(l, s, batch(20, 1)) == batch_decision::end));
    take(s, batch(5, 15), 100);
    BOOST_TEST(s.next == 20);
    BOOST_TEST(limits_reached(l, s));
}

BOOST_AUTO_TEST_SUITE_END()
