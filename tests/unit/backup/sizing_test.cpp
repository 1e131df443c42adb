// size_segments(): one open segment's reservation always fits the budget, two fit
// when the budget allows, and the configured sizes are kept when there is room.
// Segments stream out as they fill (disk and object store alike), so a segment's
// size is never reserved: only the fetches, the writer and the stream's window.
#include "job_state.hpp"

#include <boost/test/unit_test.hpp>

using kb::backup::backup_settings;
using kb::backup::size_segments;

namespace {
constexpr std::uint64_t mib = 1024 * 1024;

backup_settings with(std::uint64_t budget, std::uint64_t segment) {
    backup_settings s;
    s.memory_budget = budget;
    s.options.segment_max_bytes = segment;
    s.fetch_max_bytes = 16 << 20;
    s.part_size = 8 * mib;
    s.parts_in_flight = 4;
    return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(roomy_budget_keeps_configured_sizes) {
    auto z = size_segments(with(4096 * mib, 128 * mib));
    BOOST_TEST(z.segment_max_bytes == 128 * mib);
    BOOST_TEST(z.fetch_max_bytes == 16 << 20);
    BOOST_TEST(z.parts_in_flight == 4);
    // One rule: three fetch responses + the writer's 4 MiB + the stream's window,
    // no segment bytes: on S3 five parts (one gathering, four in flight) ...
    BOOST_TEST(z.reservation == 48 * mib + 4 * mib + 40 * mib);
    // ... on disk the staged file's 2 MiB block buffer.
    BOOST_TEST(z.staged_reservation == 48 * mib + 4 * mib + 2 * mib);
}

BOOST_AUTO_TEST_CASE(budgets_fit_two_segments_so_one_fills_while_one_uploads) {
    for (std::uint64_t budget : {512 * mib, 256 * mib}) {
        auto z = size_segments(with(budget, 128 * mib));
        BOOST_TEST_CONTEXT("budget " << budget) {
            BOOST_TEST(z.reservation * 2 <= budget);
            BOOST_TEST(z.staged_reservation * 4 <= budget);
            BOOST_TEST(z.segment_max_bytes == 128 * mib);  // streamed: no need to shrink
        }
    }
    // Was two full-size S3 segments in 512 MiB while a segment was buffered whole.
    BOOST_TEST(512 * mib / size_segments(with(512 * mib, 128 * mib)).reservation >= 5u);
    // A segment's size does not change what it reserves.
    BOOST_TEST(size_segments(with(512 * mib, 1024 * mib)).reservation ==
               size_segments(with(512 * mib, 64 * mib)).reservation);
}

BOOST_AUTO_TEST_CASE(small_budgets_shrink_but_never_exceed_the_budget) {
    for (std::uint64_t budget : {256 * mib, 64 * mib, 16 * mib, 4 * mib, 1 * mib}) {
        auto z = size_segments(with(budget, 128 * mib));
        BOOST_TEST_CONTEXT("budget " << budget) {
            BOOST_TEST(z.reservation <= budget);
            BOOST_TEST(z.staged_reservation <= budget);
            BOOST_TEST(z.segment_max_bytes >= 1 * mib);
            BOOST_TEST(z.parts_in_flight >= 1);
            BOOST_TEST(z.fetch_max_bytes >= (1 << 20));
        }
    }
    BOOST_TEST(size_segments(with(64 * mib, 128 * mib)).parts_in_flight < 4);
}

// Partitions with little data fill small segments: dozens fit a 512 MiB budget at
// once where only five (S3) or nine (disk) full-size segments do.
BOOST_AUTO_TEST_CASE(small_segments_let_many_partitions_fill_at_once) {
    auto z = size_segments(with(512 * mib, 128 * mib));
    BOOST_TEST(z.small_segment_bytes == 1 * mib);
    BOOST_TEST(z.small_fetch_bytes == 512 * 1024);
    BOOST_TEST(z.small_reservation <= z.reservation);
    BOOST_TEST(z.small_staged_reservation <= z.staged_reservation);
    BOOST_TEST(512 * mib / z.small_reservation >= 64u);
    BOOST_TEST(512 * mib / z.small_staged_reservation >= 64u);
    auto s = kb::backup::size_of_segment(z, true, false);
    BOOST_TEST(s.max_bytes == z.small_segment_bytes);
    BOOST_TEST(s.reservation == z.small_reservation);
    auto full = kb::backup::size_of_segment(z, false, true);
    BOOST_TEST(full.max_bytes == z.segment_max_bytes);
    BOOST_TEST(full.fetch_bytes == z.fetch_max_bytes);
    BOOST_TEST(full.reservation == z.staged_reservation);
    // Never more than a full segment, whatever the configured sizes.
    auto tiny = size_segments(with(1 * mib, 4 * 1024));
    BOOST_TEST(tiny.small_segment_bytes <= tiny.segment_max_bytes);
    BOOST_TEST(tiny.small_reservation <= tiny.reservation);
}
