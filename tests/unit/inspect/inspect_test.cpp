// kb_inspect without I/O: the offset report, manifest continuity, prune planning.
#define BOOST_TEST_MODULE inspect
#include <kb/inspect/prune.hpp>
#include <kb/inspect/report.hpp>
#include <kb/inspect/retention.hpp>
#include <kb/inspect/validate.hpp>

#include <boost/test/unit_test.hpp>

namespace ki = kb::inspect;
namespace sf = kb::storage::format;

namespace {

sf::segment_ref seg(std::string key, std::int64_t first, std::int64_t last, std::uint64_t records,
                    std::int64_t max_ts = 0) {
    sf::segment_ref s;
    s.key = std::move(key);
    s.first_offset = first;
    s.last_offset = last;
    s.record_count = records;
    s.stored_bytes = 100;
    s.max_timestamp = max_ts;
    return s;
}

// orders: p0 0..16 (17), p1 with a compaction hole (10 records in 0..19, end 22).
sf::manifest sample() {
    sf::manifest m;
    m.backup_id = "b1";
    m.source.bootstrap_servers = {"k1:9092", "k2:9092"};
    sf::topic_manifest t;
    t.name = "orders";
    t.partition_count = 3;
    sf::partition_manifest p0{0, 0, 17, {seg("a", 0, 16, 17)}, {}};
    sf::partition_manifest p1{
        1, 0, 22, {seg("b", 0, 9, 5), seg("c", 12, 19, 5)}, {{10, 11, "compaction"}}};
    t.partitions = {p0, p1};
    t.empty_partitions = {2};
    t.configs["cleanup.policy"] = "compact";  // compaction may remove p1's last records
    m.topics.push_back(t);
    sf::group_snapshot g;
    g.group_id = "g";
    g.offsets = {{"orders", 0, 10, -1, ""}, {"orders", 1, 22, -1, ""}, {"other", 0, 5, -1, ""}};
    m.consumer_groups.push_back(g);
    return m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(report_counts_present_records_and_lag) {
    auto r = ki::build_report(sample());
    const auto& parts = r.topics.at("orders");
    BOOST_TEST(parts.at(0).end_offset == 17);
    BOOST_TEST(parts.at(0).message_count == 17u);
    BOOST_TEST(parts.at(1).start_offset == 0);
    BOOST_TEST(parts.at(1).end_offset == 22);  // the high watermark, past the last batch
    BOOST_TEST(parts.at(1).message_count == 10u);
    BOOST_TEST(parts.at(2).end_offset == 0);
    auto j = ki::to_json(r);
    BOOST_TEST(j["source_cluster"] == "k1:9092,k2:9092");
    BOOST_TEST(j["consumer_groups"]["g"]["partitions"]["orders-0"]["lag"] == 7);
    BOOST_TEST(j["consumer_groups"]["g"]["partitions"]["orders-1"]["lag"] == 0);
    BOOST_TEST(j["consumer_groups"]["g"]["partitions"]["other-0"]["lag"].is_null());
    BOOST_TEST(j["topics"]["orders"]["partitions"]["1"]["message_count"] == 10);
    BOOST_TEST(!j.contains("restores"));
}

// A group that committed on orders-0 only (a consumer that read one partition): the
// other partitions of orders are listed without an offset, flagged uncommitted, with
// their lag counted from the partition's start, so the group's lags add up to what it
// has left to read (7 + 22 + 0). Topics it never read stay out.
BOOST_AUTO_TEST_CASE(report_lists_uncommitted_partitions_of_a_read_topic) {
    auto m = sample();
    sf::group_snapshot h;
    h.group_id = "h";
    h.offsets = {{"orders", 0, 10, -1, ""}};
    m.consumer_groups.push_back(h);
    auto r = ki::build_report(m);
    auto j = ki::to_json(r);
    const auto& ps = j["consumer_groups"]["h"]["partitions"];
    BOOST_TEST(ps.size() == 3u);
    BOOST_TEST(ps["orders-0"]["offset"] == 10);
    BOOST_TEST(!ps["orders-0"].contains("uncommitted"));
    BOOST_TEST(ps["orders-1"]["offset"].is_null());
    BOOST_TEST(ps["orders-1"]["uncommitted"] == true);
    BOOST_TEST(ps["orders-1"]["lag"] == 22);
    BOOST_TEST(ps["orders-2"]["lag"] == 0);
    BOOST_TEST(j.at("consumer_groups").at("g").at("partitions").at("orders-2").at("uncommitted") ==
               true);
    auto csv = ki::to_csv(r);
    BOOST_TEST(csv.find("group,orders,1,h,,,,,22,,,,\n") != std::string::npos, csv);
    auto text = ki::to_text(r);
    BOOST_TEST(text.find("none") != std::string::npos, text);
    BOOST_TEST(text.find("counts from the partition's start") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(report_csv_and_text) {
    auto r = ki::build_report(sample());
    auto csv = ki::to_csv(r);
    BOOST_TEST(csv.find("partition,orders,1,,0,22,10,,,,,,\n") != std::string::npos);
    BOOST_TEST(csv.find("group,orders,0,g,,,,10,7,,,,\n") != std::string::npos);
    BOOST_TEST(csv.find("group,other,0,g,,,,5,,,,,\n") != std::string::npos);
    auto text = ki::to_text(r);
    BOOST_TEST(text.find("orders          1      0   22        10") != std::string::npos, text);
}

// A restore of orders as orders-r: p0 landed after 5 records already in the target,
// p1 (with its hole) in two runs; g's p0 commit translated, p1's past the end not.
BOOST_AUTO_TEST_CASE(report_with_a_restore_section) {
    auto r = ki::build_report(sample());
    ki::restore_report x{"r-1", "cluster-x", "2026-01-01T00:00:00.000Z", {}, {}};
    x.partitions.push_back({"orders", 0, "orders-r", 0, {{0, 16, 5, 0}}});
    x.partitions.push_back({"orders", 1, "orders-r", 1, {{0, 9, 0, 1}, {12, 19, 5, 1}}});
    x.group_offsets.push_back({"g", "orders", 0, 10, "orders-r", 0, 15});
    x.group_offsets.push_back({"g", "orders", 1, 22, "orders-r", 1, std::nullopt});
    r.restores.push_back(x);
    auto j = ki::to_json(r);
    const auto& rs = j["restores"][0];
    BOOST_TEST(rs["restore_id"] == "r-1");
    BOOST_TEST(rs["partitions"][1]["ranges"][1]["source_first_offset"] == 12);
    BOOST_TEST(rs["partitions"][1]["ranges"][1]["target_first_offset"] == 5);
    BOOST_TEST(rs["partitions"][1]["ranges"][1]["target_partition"] == 1);
    BOOST_TEST(rs["consumer_groups"]["g"]["partitions"]["orders-0"]["target_offset"] == 15);
    BOOST_TEST(rs["consumer_groups"]["g"]["partitions"]["orders-1"]["target_offset"].is_null());
    auto csv = ki::to_csv(r);
    BOOST_TEST(csv.find("restored,orders,1,,12,20,8,,,r-1,orders-r,1,5\n") != std::string::npos,
               csv);
    BOOST_TEST(csv.find("translated,orders,0,g,,,,10,,r-1,orders-r,0,15\n") != std::string::npos);
    BOOST_TEST(csv.find("translated,orders,1,g,,,,22,,r-1,orders-r,1,\n") != std::string::npos);
    auto text = ki::to_text(r);
    BOOST_TEST(text.find("Restore r-1 to cluster-x") != std::string::npos, text);
    BOOST_TEST(text.find("orders-1           12-19  orders-r-1            5-12        8\n") !=
                   std::string::npos,
               text);
}

BOOST_AUTO_TEST_CASE(continuity_accepts_recorded_gaps_only) {
    auto m = sample();
    BOOST_TEST(ki::check_continuity(m).empty());
    m.topics[0].partitions[1].retention_gaps.clear();
    auto issues = ki::check_continuity(m);
    BOOST_REQUIRE_EQUAL(issues.size(), 1u);
    BOOST_TEST(issues[0].object == "c");
    BOOST_TEST(issues[0].kind == "offset_gap");
    BOOST_TEST(issues[0].position == "offset 10");
}

BOOST_AUTO_TEST_CASE(continuity_flags_entries_missing_at_the_end) {
    auto m = sample();
    m.topics[0].configs.clear();
    m.topics[0].partitions[1].end_offset = 20;  // not compacted: no records after 19
    auto& p0 = m.topics[0].partitions[0];
    p0.end_offset = 30;  // the manifest entry of a last segment (17..29) deleted
    auto issues = ki::check_continuity(m);
    BOOST_REQUIRE_EQUAL(issues.size(), 1u);
    BOOST_TEST(issues[0].object == "a");
    BOOST_TEST(issues[0].kind == "offset_gap");
    BOOST_TEST(issues[0].position == "offset 17");
    p0.segments.clear();  // every entry of the partition deleted
    issues = ki::check_continuity(m);
    BOOST_REQUIRE_EQUAL(issues.size(), 1u);
    BOOST_TEST(issues[0].message.find("offsets 0..29 were backed up") == 0, issues[0].message);
    p0.log_start_offset = 30;  // ... but pruned away: nothing lost
    BOOST_TEST(ki::check_continuity(m).empty());
}

BOOST_AUTO_TEST_CASE(prune_of_a_last_segment_records_the_gap_to_the_end) {
    auto m = sample();
    m.topics[0].configs.clear();
    auto& p1 = m.topics[0].partitions[1];
    p1.segments = {seg("x", 0, 9, 10, 9000), seg("y", 10, 19, 10, 1000)};  // y is older
    p1.retention_gaps.clear();
    p1.end_offset = 20;
    auto plan =
        ki::plan_prune(m, ki::prune_criteria{5000, std::nullopt, std::nullopt, std::nullopt},
                       7000);  // cutoff 2000: a (ts 0) and y
    auto pruned = ki::apply_plan(m, plan);
    const auto& after = pruned.topics[0].partitions[1];
    BOOST_REQUIRE_EQUAL(after.retention_gaps.size(), 1u);
    BOOST_TEST(after.retention_gaps[0].first_offset == 10);
    BOOST_TEST(after.retention_gaps[0].last_offset == 19);
    BOOST_TEST(ki::check_continuity(pruned).empty());
}

BOOST_AUTO_TEST_CASE(continuity_flags_a_missing_first_entry_against_the_start_offset) {
    auto m = sample();
    m.topics[0].configs.clear();
    m.topics[0].partitions.pop_back();
    auto& p0 = m.topics[0].partitions[0];
    p0.segments = {seg("b", 10, 16, 7)};          // the entry of segment 0..9 deleted
    BOOST_TEST(ki::check_continuity(m).empty());  // start unknown (older manifest): not seen
    p0.start_offset = 0;
    auto issues = ki::check_continuity(m);
    BOOST_REQUIRE_EQUAL(issues.size(), 1u);
    BOOST_TEST(issues[0].object == "b");
    BOOST_TEST(issues[0].kind == "offset_gap");
    BOOST_TEST(issues[0].position == "offset 0");
    BOOST_TEST(issues[0].message.find("offsets 0..9 are missing before the first segment") == 0,
               issues[0].message);
    p0.retention_gaps = {{0, 9, "retention"}};  // deleted before the backup read them
    BOOST_TEST(ki::check_continuity(m).empty());
}

BOOST_AUTO_TEST_CASE(prune_of_first_segments_moves_the_start_offset) {
    auto m = sample();
    m.topics[0].configs.clear();
    m.topics[0].partitions.pop_back();
    auto& p0 = m.topics[0].partitions[0];
    p0.segments = {seg("x", 0, 9, 10), seg("y", 10, 16, 7)};
    p0.start_offset = 0;
    auto plan = ki::plan_prune(
        m, ki::prune_criteria{std::nullopt, std::nullopt, std::nullopt, std::uint64_t{1}}, 0);
    auto pruned = ki::apply_plan(m, plan);
    BOOST_TEST(pruned.topics[0].partitions[0].start_offset == 10);
    BOOST_TEST(ki::check_continuity(pruned).empty());
    auto all = pruned;  // every segment pruned: the backup starts at its end
    all.topics[0].partitions[0].start_offset = 0;
    ki::prune_plan everything;
    everything.remove.push_back({"orders", 0, "y", 10, 16, 0, 100});
    all.topics[0].partitions[0].segments = {seg("y", 10, 16, 7)};
    BOOST_TEST(ki::apply_plan(all, everything).topics[0].partitions[0].start_offset == 17);
}

BOOST_AUTO_TEST_CASE(prune_keep_segments_and_total_bytes) {
    auto m = sample();
    auto plan =
        ki::plan_prune(m, ki::prune_criteria{std::nullopt, std::nullopt, std::nullopt, 1}, 0);
    BOOST_REQUIRE_EQUAL(plan.remove.size(), 1u);
    BOOST_TEST(plan.remove[0].key == "b");
    BOOST_TEST(plan.segments_kept == 2u);
    auto pruned = ki::apply_plan(m, plan);
    BOOST_TEST(pruned.topics[0].partitions[1].segments.size() == 1u);
    BOOST_TEST(pruned.topics[0].partitions[1].log_start_offset == 12);
    auto by_size =
        ki::plan_prune(m, ki::prune_criteria{std::nullopt, std::nullopt, 150, std::nullopt}, 0);
    BOOST_TEST(by_size.remove.size() == 2u);
    BOOST_TEST(by_size.bytes_kept == 100u);
}

BOOST_AUTO_TEST_CASE(prune_by_age_records_holes_between_kept_segments) {
    auto m = sample();
    m.topics[0].partitions[1].segments = {seg("x", 0, 9, 10, 5000), seg("y", 10, 19, 10, 1000),
                                          seg("z", 20, 21, 2, 9000)};
    auto plan =
        ki::plan_prune(m, ki::prune_criteria{5000, std::nullopt, std::nullopt, std::nullopt},
                       7000);                     // cutoff 2000
    BOOST_REQUIRE_EQUAL(plan.remove.size(), 2u);  // a (ts 0) and y
    auto pruned = ki::apply_plan(m, plan);
    const auto& p1 = pruned.topics[0].partitions[1];
    BOOST_REQUIRE_EQUAL(p1.retention_gaps.size(), 2u);
    BOOST_TEST(p1.retention_gaps[1].first_offset == 10);
    BOOST_TEST(p1.retention_gaps[1].reason == "pruned");
    BOOST_TEST(ki::check_continuity(pruned).empty());
}

namespace {

// One partition of five 100-byte segments, newest record at 1000, 2000, ... 5000.
sf::manifest five_segments() {
    sf::manifest m;
    m.backup_id = "r";
    sf::topic_manifest t;
    t.name = "t";
    t.partition_count = 2;
    sf::partition_manifest p{0, 0, 50, {}, {}};
    for (int i = 0; i < 5; ++i)
        p.segments.push_back(seg("s" + std::to_string(i), i * 10, i * 10 + 9, 10, (i + 1) * 1000));
    t.partitions = {p};
    m.topics.push_back(t);
    return m;
}

std::vector<std::string> keys(const ki::prune_plan& p) {
    std::vector<std::string> out;
    for (const auto& r : p.remove) out.push_back(r.key);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(retention_prunes_an_aged_prefix_and_keeps_the_newest) {
    auto m = five_segments();
    // Cutoff 3500: s0..s2 are older; s3 is not, so nothing after it goes.
    auto plan = ki::plan_retention(m, {.max_age_ms = 1500, .keep_segments = 1}, 5000);
    BOOST_TEST(keys(plan) == (std::vector<std::string>{"s0", "s1", "s2"}));
    // Everything aged, but the newest keep_segments stay.
    plan = ki::plan_retention(m, {.max_age_ms = 0, .keep_segments = 2}, 1'000'000);
    BOOST_TEST(keys(plan) == (std::vector<std::string>{"s0", "s1", "s2"}));
    BOOST_TEST(plan.segments_kept == 2u);
    // keep_segments 0 means 1, as in OSO.
    plan = ki::plan_retention(m, {.max_age_ms = 0, .keep_segments = 0}, 1'000'000);
    BOOST_TEST(plan.remove.size() == 4u);
    // An old segment after a young one stays: only a prefix is ever removed.
    m.topics[0].partitions[0].segments[1].max_timestamp = 9000;
    plan = ki::plan_retention(m, {.max_age_ms = 1000, .keep_segments = 1}, 5000);
    BOOST_TEST(keys(plan) == (std::vector<std::string>{"s0"}));
}

BOOST_AUTO_TEST_CASE(retention_by_size_goes_oldest_first_across_partitions) {
    auto m = five_segments();
    auto p1 = m.topics[0].partitions[0];
    p1.partition = 1;
    for (auto& s : p1.segments) {
        s.key = "p1-" + s.key;
        s.max_timestamp += 500;  // each a little younger than its p0 twin
    }
    m.topics[0].partitions.push_back(p1);
    // 1000 bytes stored; 650 allowed: the 4 oldest go, alternating partitions.
    auto plan = ki::plan_retention(m, {.max_total_bytes = 650, .keep_segments = 1}, 0);
    BOOST_TEST(keys(plan) == (std::vector<std::string>{"s0", "s1", "p1-s0", "p1-s1"}));
    BOOST_TEST(plan.bytes_kept == 600u);
    // Age first, then size on top of it.
    plan = ki::plan_retention(m, {.max_age_ms = 2000, .max_total_bytes = 650, .keep_segments = 1},
                              3000);  // cutoff 1000: nothing aged
    BOOST_TEST(plan.remove.size() == 4u);
    // A cap below what keep_segments allows stops at the kept segments.
    plan = ki::plan_retention(m, {.max_total_bytes = 0, .keep_segments = 2}, 0);
    BOOST_TEST(plan.segments_kept == 4u);
}

BOOST_AUTO_TEST_CASE(retention_records_the_pruned_range_as_a_deliberate_gap) {
    auto m = five_segments();
    auto plan = ki::plan_retention(m, {.max_age_ms = 2500, .keep_segments = 1}, 5000);
    auto pruned = ki::apply_retention(m, plan);
    auto& p = pruned.topics[0].partitions[0];
    BOOST_REQUIRE_EQUAL(p.segments.size(), 3u);
    BOOST_TEST(p.log_start_offset == 20);
    BOOST_REQUIRE_EQUAL(p.retention_gaps.size(), 1u);
    BOOST_TEST(p.retention_gaps[0].first_offset == 0);
    BOOST_TEST(p.retention_gaps[0].last_offset == 19);
    BOOST_TEST(p.retention_gaps[0].reason == "pruned");
    BOOST_TEST(ki::check_continuity(pruned).empty());
    // A later run extends the same gap instead of adding one per run.
    auto again = ki::apply_retention(
        pruned, ki::plan_retention(pruned, {.max_age_ms = 1500, .keep_segments = 1}, 5000));
    BOOST_REQUIRE_EQUAL(again.topics[0].partitions[0].retention_gaps.size(), 1u);
    BOOST_TEST(again.topics[0].partitions[0].retention_gaps[0].last_offset == 29);
}
