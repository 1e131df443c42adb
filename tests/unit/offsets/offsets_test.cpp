// kb_offsets without a cluster: target computation, snapshot JSON, script output.
#define BOOST_TEST_MODULE offsets
#include <kb/offsets/reset.hpp>
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <regex>
#include <sstream>

namespace ko = kb::offsets;
using kind = ko::reset_spec::kind;

namespace {
ko::reset_spec spec(kind k, std::int64_t v) {
    ko::reset_spec s;
    s.to = k;
    s.value = v;
    return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(targets_are_clamped_into_the_log) {
    BOOST_TEST(ko::compute_target(spec(kind::shift_by, -20), 30, 0, 30) == 10);
    BOOST_TEST(ko::compute_target(spec(kind::shift_by, -50), 30, 5, 30) == 5);
    BOOST_TEST(ko::compute_target(spec(kind::shift_by, 50), 30, 0, 40) == 40);
    BOOST_TEST(ko::compute_target(spec(kind::earliest, 0), 30, 7, 40) == 7);
    BOOST_TEST(ko::compute_target(spec(kind::latest, 0), std::nullopt, 7, 40) == 40);
    BOOST_TEST(ko::compute_target(spec(kind::offset, 100), 3, 0, 40) == 40);
    BOOST_TEST(ko::compute_target(spec(kind::shift_by, -1), std::nullopt, 4, 40) == 4);
}

BOOST_AUTO_TEST_CASE(snapshot_json_round_trip) {
    ko::offset_snapshot s;
    s.snapshot_id = ko::new_snapshot_id();
    s.created_at = "2024-05-01T12:00:00.000Z";
    s.description = "before \"replay\"";
    s.bootstrap_servers = {"k:9092"};
    s.groups["g"] = {{"orders", 1, 42, 3, std::string("m")}, {"orders", 0, 7, -1, std::nullopt}};
    auto back = ko::parse_snapshot(ko::to_json(s).dump());
    BOOST_TEST(back.snapshot_id == s.snapshot_id);
    BOOST_TEST(back.description == s.description);
    BOOST_REQUIRE_EQUAL(back.groups["g"].size(), 2u);
    BOOST_TEST(back.groups["g"][0].offset == 42);
    BOOST_TEST(back.groups["g"][0].leader_epoch == 3);
    BOOST_TEST(*back.groups["g"][0].metadata == "m");
    BOOST_TEST(!back.groups["g"][1].metadata.has_value());
    BOOST_TEST(ko::valid_snapshot_id(s.snapshot_id));
    BOOST_TEST(!ko::valid_snapshot_id("../x"));
}

BOOST_AUTO_TEST_CASE(new_ids_have_osos_shape_and_sort_by_time) {
    auto a = ko::new_snapshot_id();
    BOOST_TEST(std::regex_match(a, std::regex("snap-[0-9]{13}-[0-9a-f]{8}")), a);
    BOOST_TEST(ko::snapshot_key(a) == "offset-snapshots/" + a + ".json");
    BOOST_TEST(ko::oso_snapshot_key(a) == "offset-snapshots/" + a + "/snapshot.json");
}

BOOST_AUTO_TEST_CASE(an_oso_snapshot_reads_as_ours) {
    std::ifstream in(KB_OSO_SNAPSHOT);
    std::stringstream text;
    text << in.rdbuf();
    auto s = ko::parse_oso_snapshot(text.str());
    BOOST_TEST(s.snapshot_id == "snap-1764950000000-319a7f6f");
    BOOST_TEST(s.created_at == "2025-12-05T15:53:20Z");
    BOOST_TEST(s.description == "before deploy");
    BOOST_TEST(s.cluster_id == "");
    BOOST_TEST(!s.restore_id.has_value());
    BOOST_TEST(s.written_by == "oso");
    BOOST_TEST(s.bootstrap_servers == std::vector<std::string>{"localhost:9092"});
    BOOST_REQUIRE_EQUAL(s.groups.size(), 2u);
    const auto& app = s.groups.at("oso-fixture-app");
    BOOST_REQUIRE_EQUAL(app.size(), 2u);  // sorted by partition, whatever the file's order
    BOOST_TEST(app[0].partition == 0);
    BOOST_TEST(app[0].offset == 4);
    BOOST_TEST(*app[0].metadata == "");
    BOOST_TEST(app[1].offset == 7);
    BOOST_TEST(!s.groups.at("oso-fixture-billing")[0].metadata.has_value());
    auto listed = ko::list_json({s});
    BOOST_TEST(listed[0]["offset_count"] == 3);
    BOOST_TEST(listed[0]["group_count"] == 2);
    BOOST_TEST(listed[0]["restore_id"].is_null());
    BOOST_TEST(listed[0]["written_by"] == "oso");
}

BOOST_AUTO_TEST_CASE(a_bad_oso_snapshot_names_the_field) {
    for (
        auto [doc, field] : std::vector<std::pair<std::string, std::string>>{
            {R"({"snapshot_id":"s","created_at":"t"})", "group_offsets"},
            {R"({"snapshot_id":"s","created_at":"t","group_offsets":{"g":{"offsets":{"t":{"x":{"offset":1}}}}}})",
             "group_offsets.g.offsets.t.x"},
            {R"({"snapshot_id":"s","created_at":"t","group_offsets":{"g":{"offsets":{"t":{"0":{}}}}}})",
             "group_offsets.g.offsets.t.0.offset"}}) {
        try {
            ko::parse_oso_snapshot(doc);
            BOOST_FAIL("accepted " << doc);
        } catch (const kb::error& e) {
            BOOST_TEST(std::string(e.what()).find(field) != std::string::npos, e.what());
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_snapshot_names_the_field) {
    try {
        ko::parse_snapshot(R"({"snapshot_id":"s","created_at":"t","description":"",
            "cluster_id":"","bootstrap_servers":[],"groups":{"g":{"offsets":[{"topic":"t"}]}}})");
        BOOST_FAIL("accepted a snapshot without partition");
    } catch (const kb::error& e) {
        BOOST_TEST(std::string(e.what()).find("groups.g.offsets[].partition") != std::string::npos,
                   e.what());
    }
}

BOOST_AUTO_TEST_CASE(script_and_summary) {
    ko::reset_report r;
    r.action = "plan";
    r.spec = "shift-by -20";
    r.groups.push_back({"g'1", ko::group_status::planned, 0, "", {{"t", 0, 30, 10, 0, 30}}});
    r.groups.push_back({"g2", ko::group_status::refused, 2, "has 2 active member(s)", {}});
    BOOST_TEST(r.succeeded() == 1u);
    BOOST_TEST(r.failed() == 1u);
    auto script = ko::to_script(r, {"a:1", "b:2"});
    BOOST_TEST(script.find("BOOTSTRAP='a:1,b:2'") != std::string::npos, script);
    BOOST_TEST(script.find("--group 'g'\\''1' --reset-offsets --topic 't:0' --to-offset 10 "
                           "--execute") != std::string::npos,
               script);
    BOOST_TEST(script.find("# g2: nothing to reset") != std::string::npos);
    auto j = ko::to_json(r);
    BOOST_TEST(j["summary"]["failed"] == 1);
    BOOST_TEST(j["groups"][0]["partitions"][0]["new_offset"] == 10);
    BOOST_TEST(ko::to_csv(r).find("g'1,t,0,30,10,planned\n") != std::string::npos);
}

// Rollback puts a group back exactly: a commit on a partition the snapshot had none
// for is to be deleted, and --verify reports it (expected: nothing) until it is.
BOOST_AUTO_TEST_CASE(rollback_compares_both_ways) {
    std::vector<ko::snapshot_offset> want{{"t", 0, 7, -1, std::nullopt}};
    std::vector<kb::kafka::client::group_offset> have{{"t", 0, 7, -1, std::nullopt},
                                                      {"t", 1, 12, -1, std::nullopt},
                                                      {"u", 0, 3, -1, std::nullopt}};
    auto extra = ko::commits_not_in_snapshot(want, have);
    BOOST_REQUIRE(extra.size() == 2u);
    BOOST_TEST(extra[0].topic == "t");
    BOOST_TEST(extra[0].partition == 1);
    BOOST_TEST(extra[1].topic == "u");
    auto mm = ko::compare_with_snapshot(want, have);
    BOOST_REQUIRE(mm.size() == 2u);
    BOOST_TEST(!mm[0].expected.has_value());
    BOOST_TEST(mm[0].actual.value() == 12);
    have.resize(1);
    BOOST_TEST(ko::compare_with_snapshot(want, have).empty());
    have.clear();  // the snapshot's own commit missing
    auto missing = ko::compare_with_snapshot(want, have);
    BOOST_REQUIRE(missing.size() == 1u);
    BOOST_TEST(missing[0].expected.value() == 7);
    BOOST_TEST(!missing[0].actual.has_value());

    ko::rollback_result r;
    r.snapshot_id = "s";
    r.verify = true;
    r.groups.push_back({"g", "restored", "", 1, 2, false, mm});
    auto j = ko::to_json(r);
    BOOST_TEST(j["ok"] == false);
    BOOST_TEST(j["groups"][0]["deleted"] == 2);
    BOOST_TEST(j["groups"][0]["mismatches"][0]["expected"].is_null());
    BOOST_TEST(ko::to_text(r).find("t-1: expected nothing, found 12") != std::string::npos);
}
