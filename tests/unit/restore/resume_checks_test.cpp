// Restore's own checks before producing: a segment's footer against its manifest
// entry, gaps between a partition's segments, the checkpoint's fields, and the
// resume points that map skipped records to where they are on the target.
#include "checkpoint.hpp"
#include "partition_restore.hpp"
#include "retention_check.hpp"
#include "segment_checks.hpp"

#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

namespace sf = kb::storage::format;
using namespace kb::restore::detail;

namespace {

sf::segment_ref entry(std::string key, std::int64_t first, std::int64_t last) {
    sf::segment_ref s;
    s.key = std::move(key);
    s.first_offset = first;
    s.last_offset = last;
    s.record_count = static_cast<std::uint64_t>(last - first + 1);
    return s;
}

sf::segment_footer footer(std::string topic, std::int32_t partition, std::int64_t first,
                          std::int64_t last) {
    sf::segment_footer f;
    f.topic = std::move(topic);
    f.partition = partition;
    f.first_offset = first;
    f.last_offset = last;
    f.record_count = static_cast<std::uint64_t>(last - first + 1);
    return f;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const kb::error& e) {
        return e.code() + ": " + e.what();
    }
    return "";
}

sf::topic_manifest topic_with(std::vector<sf::segment_ref> segments) {
    sf::topic_manifest t;
    t.name = "orders";
    t.partition_count = 1;
    sf::partition_manifest p;
    p.partition = 0;
    p.segments = std::move(segments);
    t.partitions.push_back(p);
    return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resume_checks)

BOOST_AUTO_TEST_CASE(a_segment_of_another_partition_is_refused) {
    auto e = entry("b/segments/orders/0/a.seg", 0, 99);
    BOOST_CHECK_NO_THROW(check_segment_identity(footer("orders", 0, 0, 99), e, "orders", 0));
    auto m =
        message_of([&] { check_segment_identity(footer("orders", 1, 0, 99), e, "orders", 0); });
    BOOST_TEST(m.find("SegmentMismatch") == 0);
    BOOST_TEST(m.find("segment b/segments/orders/0/a.seg holds orders-1 offsets 0..99") !=
               std::string::npos);
    BOOST_TEST(m.find("lists it for orders-0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_segment_of_other_offsets_or_count_is_refused) {
    auto e = entry("k", 100, 199);
    BOOST_TEST(!message_of([&] {
                    check_segment_identity(footer("orders", 0, 0, 99), e, "orders", 0);
                }).empty());
    auto f = footer("orders", 0, 100, 199);
    f.record_count = 99;
    BOOST_TEST(!message_of([&] { check_segment_identity(f, e, "orders", 0); }).empty());
    BOOST_TEST(!message_of([&] {
                    check_segment_identity(footer("payments", 0, 100, 199), e, "orders", 0);
                }).empty());
}

BOOST_AUTO_TEST_CASE(an_unrecorded_gap_between_segments_is_refused) {
    auto t = topic_with({entry("a", 0, 99), entry("c", 200, 299)});
    auto m = message_of([&] { check_partition_continuity(t, t.partitions[0], 0, INT64_MAX); });
    BOOST_TEST(
        m.find("BackupGap: orders-0: offsets 100..199 are missing between segments a and c") == 0);
    // Outside the chosen offsets: not this restore's concern.
    BOOST_CHECK_NO_THROW(check_partition_continuity(t, t.partitions[0], 200, 299));
    BOOST_CHECK_NO_THROW(check_partition_continuity(t, t.partitions[0], 0, 99));
}

BOOST_AUTO_TEST_CASE(recorded_gaps_and_compaction_are_allowed) {
    auto t = topic_with({entry("a", 0, 99), entry("c", 200, 299)});
    t.partitions[0].retention_gaps.push_back({100, 199, "retention"});
    BOOST_CHECK_NO_THROW(check_partition_continuity(t, t.partitions[0], 0, INT64_MAX));
    t.partitions[0].retention_gaps.clear();
    t.configs["cleanup.policy"] = "compact,delete";
    BOOST_CHECK_NO_THROW(check_partition_continuity(t, t.partitions[0], 0, INT64_MAX));
    auto contiguous = topic_with({entry("a", 0, 99), entry("b", 100, 199)});
    BOOST_CHECK_NO_THROW(check_partition_continuity(contiguous, contiguous.partitions[0], 0, 150));
}

BOOST_AUTO_TEST_CASE(missing_entries_at_the_end_of_a_partition_are_refused) {
    // The last entry of a partition deleted from the manifest: end_offset says 300.
    auto t = topic_with({entry("a", 0, 99), entry("b", 100, 199)});
    t.partitions[0].log_start_offset = 0;
    t.partitions[0].end_offset = 300;
    auto m = message_of([&] { check_partition_end(t, t.partitions[0], 0, INT64_MAX); });
    BOOST_TEST(m.find("BackupGap: orders-0: offsets 200..299 were backed up but are missing "
                      "(after segment b)") == 0);
    BOOST_CHECK_NO_THROW(check_partition_end(t, t.partitions[0], 0, 150));  // not wanted
    // Every entry deleted.
    auto none = topic_with({});
    none.partitions[0].log_start_offset = 0;
    none.partitions[0].end_offset = 300;
    m = message_of([&] { check_partition_end(none, none.partitions[0], 0, INT64_MAX); });
    BOOST_TEST(m.find("offsets 0..299 were backed up but are missing (the manifest lists no "
                      "segment for them)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_complete_pruned_or_unknown_end_is_allowed) {
    auto t = topic_with({entry("a", 0, 99), entry("b", 100, 199)});
    t.partitions[0].end_offset = 200;
    BOOST_CHECK_NO_THROW(check_partition_end(t, t.partitions[0], 0, INT64_MAX));
    t.partitions[0].end_offset = -1;  // OSO backups and older manifests: not known
    BOOST_CHECK_NO_THROW(check_partition_end(t, t.partitions[0], 0, INT64_MAX));
    t.partitions[0].end_offset = 300;  // a gap recorded at the end
    t.partitions[0].retention_gaps.push_back({200, 299, "retention"});
    BOOST_CHECK_NO_THROW(check_partition_end(t, t.partitions[0], 0, INT64_MAX));
    auto pruned = topic_with({});  // prune removed every segment: log start moved to the end
    pruned.partitions[0].log_start_offset = 300;
    pruned.partitions[0].end_offset = 300;
    BOOST_CHECK_NO_THROW(check_partition_end(pruned, pruned.partitions[0], 0, INT64_MAX));
}

BOOST_AUTO_TEST_CASE(a_deleted_first_entry_is_refused_against_the_start_offset) {
    // The backup started at offset 0; the entry of segment a (0..99) was deleted.
    auto t = topic_with({entry("b", 100, 199), entry("c", 200, 299)});
    t.partitions[0].start_offset = 0;
    auto m = message_of([&] { check_partition_start(t, t.partitions[0], 0, INT64_MAX); });
    BOOST_TEST(m.find("BackupGap: orders-0: offsets 0..99 are missing before the first segment "
                      "b (the backup started at offset 0)") == 0,
               m);
    BOOST_CHECK_NO_THROW(check_partition_start(t, t.partitions[0], 150, INT64_MAX));  // not wanted
    BOOST_TEST(!message_of([&] { check_partition_start(t, t.partitions[0], 50, 120); }).empty());
}

BOOST_AUTO_TEST_CASE(a_first_segment_at_its_start_gap_or_unknown_start_is_allowed) {
    auto t = topic_with({entry("b", 100, 199)});
    auto& p = t.partitions[0];
    BOOST_CHECK_NO_THROW(check_partition_start(t, p, 0, INT64_MAX));  // -1: older manifest, OSO
    p.start_offset = 100;  // --start-offset 100, or pruned up to here
    BOOST_CHECK_NO_THROW(check_partition_start(t, p, 0, INT64_MAX));
    p.start_offset = 120;  // the first batch holds the start offset (started mid-batch)
    BOOST_CHECK_NO_THROW(check_partition_start(t, p, 0, INT64_MAX));
    p.start_offset = 0;  // deleted by retention before the first fetch, in two steps
    p.retention_gaps = {{0, 49, "retention"}, {50, 99, "retention"}};
    BOOST_CHECK_NO_THROW(check_partition_start(t, p, 0, INT64_MAX));
    p.retention_gaps = {{0, 49, "retention"}};  // half of it
    BOOST_TEST(message_of([&] { check_partition_start(t, p, 0, INT64_MAX); }).find("BackupGap") ==
               0);
    t.configs["cleanup.policy"] = "compact";  // compaction removes first records too
    BOOST_CHECK_NO_THROW(check_partition_start(t, p, 0, INT64_MAX));
}

BOOST_AUTO_TEST_CASE(skipped_records_map_to_their_own_offsets_around_foreign_ones) {
    resume_from r;
    r.add(10, 3);  // ours: 10..12
    r.add(13, 2);  // adjacent: joined
    r.add(20, 2);  // 15..19 written by someone else
    BOOST_CHECK_EQUAL(r.skip_records, 7);
    BOOST_CHECK_EQUAL(r.target_runs.size(), 2u);
    std::vector<std::int64_t> got;
    for (int i = 0; i < 7; ++i) got.push_back(r.take_target_offset());
    BOOST_TEST(got == (std::vector<std::int64_t>{10, 11, 12, 13, 14, 20, 21}),
               boost::test_tools::per_element());
    BOOST_CHECK_THROW(r.take_target_offset(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(checkpoint_keeps_target_ids_and_version) {
    checkpoint_state s{"r-1", true, {{"a", 0, "b", 0, 5}}, {{"b", "id-1", {1, 2}}}, 2};
    auto back = parse_checkpoint(serialize_checkpoint(s));
    BOOST_TEST(back.complete);
    BOOST_TEST(back.version == 2);
    BOOST_REQUIRE(back.target("b"));
    BOOST_TEST(back.target("b")->topic_id == "id-1");
    BOOST_TEST(back.target("b")->ends == (std::vector<std::int64_t>{1, 2}),
               boost::test_tools::per_element());
    // Written by an earlier version: no targets, no producer registry.
    auto old = parse_checkpoint(R"({"restore_id": "r-1", "complete": false, "partitions": []})");
    BOOST_TEST(old.version == 1);
    BOOST_TEST(old.targets.empty());
}

BOOST_AUTO_TEST_CASE(records_older_than_retention_are_counted_per_topic) {
    kb::restore::restore_plan plan;
    plan.topics.push_back({"a", "a2"});
    plan.topics.push_back({"b", "b2"});
    kb::restore::partition_task t;
    t.target_topic = "a2";
    auto seg = [](std::int64_t min_ts, std::int64_t max_ts, std::uint64_t n) {
        sf::segment_ref s;
        s.min_timestamp = min_ts, s.max_timestamp = max_ts, s.record_count = n;
        return s;
    };
    // now 1000, retention 100: the cutoff is 900.
    t.segments = {seg(100, 200, 10), seg(850, 950, 5), seg(950, 990, 7)};
    plan.tasks.push_back(t);
    t.target_topic = "b2";
    t.segments = {seg(100, 200, 3)};
    plan.tasks.push_back(t);
    auto risks = records_at_risk(plan, {{"a2", 100}, {"b2", -1}}, 1000);
    BOOST_REQUIRE_EQUAL(risks.size(), 1u);  // b2 keeps everything
    BOOST_TEST(risks[0].topic == "a2");
    BOOST_TEST(risks[0].records == 10u);        // the wholly older segment
    BOOST_TEST(risks[0].records_up_to == 15u);  // and the one across the cutoff
    BOOST_TEST(risks[0].oldest == 100);
    BOOST_TEST(risks[0].newest == 899);
}

BOOST_AUTO_TEST_SUITE_END()
