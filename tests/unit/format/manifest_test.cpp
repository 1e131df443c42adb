// Manifest JSON: round trip, validation naming the field, timestamps, key layout.
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest.hpp>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace kb::storage::format;
using nlohmann::json;

namespace {

manifest sample_manifest() {
    manifest m;
    m.backup_id = "nightly-2024.05.01";
    m.tool_version = "0.1.0 (abc123)";
    m.status = backup_status::complete;
    m.created_at = parse_timestamp("2024-05-01T02:00:00.000Z");
    m.updated_at = parse_timestamp("2024-05-01T02:10:30.250Z");
    m.source = {"lkc-abc", {"broker-1:9092", "broker-2:9092"}};
    backup_layout keys(m.backup_id);
    topic_manifest t{"orders", 3,  3, {{"cleanup.policy", "compact"}, {"retention.ms", "-1"}},
                     {},       {2}};
    partition_manifest p0{0, 0, 2000, {}, {{500, 599, "retention"}}};
    p0.segments.push_back({keys.segment("orders", 0, 0),
                           0,
                           499,
                           1714528800000,
                           1714528900000,
                           500,
                           1'000'000,
                           300'000,
                           "crc32c:0a1b2c3d",
                           "zstd",
                           {}});
    p0.segments.push_back({keys.segment("orders", 0, 600),
                           600,
                           1999,
                           1714528900001,
                           1714529000000,
                           1400,
                           2'800'000,
                           900'000,
                           "crc32c:ffffffff",
                           "lz4",
                           {}});
    t.partitions.push_back(p0);
    t.partitions.push_back({1, 10, 10, {}, {}});
    m.topics.push_back(t);
    m.consumer_groups.push_back({"billing",
                                 parse_timestamp("2024-05-01T02:00:01.000Z"),
                                 {{"orders", 0, 1500, 4, "meta"}, {"orders", 1, 10, -1, ""}}});
    return m;
}

std::string error_of(const std::string& text) {
    try {
        parse_manifest(text);
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "InvalidManifest");
        return e.what();
    }
    return "(parsed)";
}

// The sample as JSON, changed by `edit`, parsed; returns the error.
std::string error_after(const std::function<void(json&)>& edit) {
    auto j = json::parse(serialize_manifest(sample_manifest()));
    edit(j);
    return error_of(j.dump());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(manifest_json)

BOOST_AUTO_TEST_CASE(round_trip_keeps_every_field) {
    auto m = sample_manifest();
    auto text = serialize_manifest(m);
    auto back = parse_manifest(text);
    BOOST_TEST(serialize_manifest(back) == text);
    BOOST_TEST(back.backup_id == m.backup_id);
    BOOST_TEST((back.status == backup_status::complete));
    BOOST_TEST((back.updated_at == m.updated_at));
    BOOST_REQUIRE(back.find_topic("orders"));
    auto& t = *back.find_topic("orders");
    BOOST_TEST(t.configs.at("cleanup.policy") == "compact");
    BOOST_TEST(t.empty_partitions == std::vector<std::int32_t>{2});
    BOOST_TEST(t.partitions[0].segments[1].key ==
               "nightly-2024.05.01/segments/orders/0/00000000000000000600.seg");
    BOOST_TEST(t.partitions[0].segments[1].stored_bytes == 900'000u);
    BOOST_TEST(t.partitions[0].retention_gaps[0].reason == "retention");
    BOOST_TEST(back.consumer_groups[0].offsets[0].leader_epoch == 4);
    BOOST_TEST(back.source.bootstrap_servers[1] == "broker-2:9092");
    BOOST_TEST(!back.find_topic("missing"));
}

BOOST_AUTO_TEST_CASE(errors_name_the_field) {
    BOOST_TEST(error_of("{not json") == "manifest: (document): not valid JSON");
    BOOST_TEST(error_of("[]") == "manifest: (document): expected an object");
    BOOST_TEST(error_after([](json& j) { j.erase("backup_id"); }) ==
               "manifest: backup_id: missing");
    BOOST_TEST(error_after([](json& j) { j["format_version"] = 99; }) ==
               "manifest: format_version: expected an integer in 1..2");
    BOOST_TEST(error_after([](json& j) { j["topics"][0]["partition_count"] = "3"; }) ==
               "manifest: topics[0].partition_count: expected an integer in 1..2147483647");
    BOOST_TEST(error_after([](json& j) {
                   j["topics"][0]["partitions"][0]["segments"][1]["first_offset"] = 499;
               }) ==
               "manifest: topics[0].partitions[0].segments[1].first_offset: overlaps or precedes "
               "the previous segment");
    BOOST_TEST(error_after([](json& j) {
                   j["topics"][0]["partitions"][0]["segments"][0]["last_offset"] = -5;
               }) ==
               "manifest: topics[0].partitions[0].segments[0].last_offset: expected an integer in "
               "0..9223372036854775807");
    BOOST_TEST(error_after([](json& j) {
                   j["topics"][0]["partitions"][1]["segments"] = json::array({{{"key", 1}}});
               }) == "manifest: topics[0].partitions[1].segments[0].key: expected a string");
    BOOST_TEST(error_after([](json& j) {
                   j["topics"][0]["partitions"][0]["segments"][0]["checksum"] = "md5:x";
               }) ==
               "manifest: topics[0].partitions[0].segments[0].checksum: expected \"crc32c:\" and 8 "
               "hex digits");
    BOOST_TEST(error_after([](json& j) {
                   j["topics"][0]["empty_partitions"] = json::array({1});
               }) == "manifest: topics[0].empty_partitions[0]: partition 1 listed twice");
    BOOST_TEST(
        error_after([](json& j) { j["topics"][0]["partitions"][1]["partition"] = 3; }) ==
        "manifest: topics[0].partitions[1].partition: partition outside 0..partition_count-1");
    BOOST_TEST(error_after([](json& j) { j["topics"].push_back(j["topics"][0]); }) ==
               "manifest: topics[1].name: topic 'orders' listed twice");
    BOOST_TEST(error_after([](json& j) {
                   j["created_at"] = "yesterday";
               }).starts_with("manifest: created_at: 'yesterday' is not a timestamp"));
    BOOST_TEST(error_after([](json& j) { j["status"] = "done"; }) ==
               "manifest: status: expected \"in_progress\" or \"complete\"");
    BOOST_TEST(error_after([](json& j) { j["consumer_groups"][0]["offsets"][0]["offset"] = -7; }) ==
               "manifest: consumer_groups[0].offsets[0].offset: expected an integer in "
               "-1..9223372036854775807");
    BOOST_TEST(error_after([](json& j) { j["backup_id"] = "../etc"; }) ==
               "manifest: backup_id: expected 1..128 characters of [A-Za-z0-9._-]");
}

BOOST_AUTO_TEST_CASE(aborted_transactions_round_trip_and_are_omitted_when_empty) {
    auto m = sample_manifest();
    auto& segs = m.topics[0].partitions[0].segments;
    segs[1].aborted_transactions = {{4001, 120}, {4002, 650}};
    auto text = serialize_manifest(m);
    auto j = json::parse(text);
    auto& js = j["topics"][0]["partitions"][0]["segments"];
    BOOST_TEST(!js[0].contains("aborted_transactions"));
    BOOST_TEST(js[1]["aborted_transactions"] ==
               json::parse(R"([{"producer_id":4001,"first_offset":120},)"
                           R"({"producer_id":4002,"first_offset":650}])"));
    auto back = parse_manifest(text);
    auto& got = back.topics[0].partitions[0].segments[1].aborted_transactions;
    BOOST_REQUIRE(got.size() == 2u);
    BOOST_TEST(got[0].producer_id == 4001);
    BOOST_TEST(got[0].first_offset == 120);  // begins in an earlier segment: allowed
    BOOST_TEST(got[1].first_offset == 650);
    BOOST_TEST(back.topics[0].partitions[0].segments[0].aborted_transactions.empty());
    BOOST_TEST(serialize_manifest(back) == text);
}

BOOST_AUTO_TEST_CASE(aborted_transactions_errors_name_the_field) {
    const std::string seg = "manifest: topics[0].partitions[0].segments[0].";
    auto with = [](json list) {
        return [list](json& j) {
            j["topics"][0]["partitions"][0]["segments"][0]["aborted_transactions"] = list;
        };
    };
    BOOST_TEST(error_after(with(json::object())) ==
               seg + "aborted_transactions: expected an array");
    BOOST_TEST(error_after(with(json::array({7}))) ==
               seg + "aborted_transactions[0]: expected an object");
    BOOST_TEST(error_after(with(json::parse(R"([{"first_offset":3}])"))) ==
               seg + "aborted_transactions[0].producer_id: missing");
    BOOST_TEST(error_after(with(json::parse(R"([{"producer_id":1,"first_offset":3},)"
                                            R"({"producer_id":-2,"first_offset":3}])"))) ==
               seg +
                   "aborted_transactions[1].producer_id: expected an integer in "
                   "0..9223372036854775807");
    BOOST_TEST(error_after(with(json::parse(R"([{"producer_id":1,"first_offset":"3"}])"))) ==
               seg +
                   "aborted_transactions[0].first_offset: expected an integer in "
                   "0..9223372036854775807");
    // null reads as absent, like the other optional arrays
    BOOST_TEST(error_after(with(nullptr)) == "(parsed)");
}

BOOST_AUTO_TEST_CASE(in_memory_aborted_transactions_are_validated_before_publishing) {
    auto m = sample_manifest();
    m.topics[0].partitions[0].segments[0].aborted_transactions = {{-1, 5}};
    try {
        serialize_manifest(m);
        BOOST_FAIL("serialized a negative producer id");
    } catch (const kb::error& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "manifest: topics[0].partitions[0].segments[0].aborted_transactions[0]."
                   "producer_id: negative");
    }
}

BOOST_AUTO_TEST_CASE(start_offset_round_trips_and_is_unknown_in_older_manifests) {
    auto m = sample_manifest();
    m.topics[0].partitions[0].start_offset = 0;
    auto back = parse_manifest(serialize_manifest(m));
    BOOST_TEST(back.topics[0].partitions[0].start_offset == 0);
    BOOST_TEST(back.topics[0].partitions[1].start_offset == -1);
    auto j = json::parse(serialize_manifest(m));
    j["topics"][0]["partitions"][0].erase("start_offset");  // written before the field
    BOOST_TEST(parse_manifest(j.dump()).topics[0].partitions[0].start_offset == -1);
    BOOST_TEST(error_after([](json& j) { j["topics"][0]["partitions"][0]["start_offset"] = -2; }) ==
               "manifest: topics[0].partitions[0].start_offset: below -1 (-1: unknown)");
}

BOOST_AUTO_TEST_CASE(acls_round_trip_and_are_not_captured_in_older_manifests) {
    auto m = sample_manifest();
    BOOST_TEST(!parse_manifest(serialize_manifest(m)).acls.has_value());  // never captured
    BOOST_TEST(!json::parse(serialize_manifest(m)).contains("acls"));
    m.acls.emplace();
    BOOST_TEST(parse_manifest(serialize_manifest(m)).acls->empty());  // captured: none
    m.acls->push_back({"topic", "orders", "literal", "User:alice", "*", "read", "allow"});
    m.acls->push_back({"group", "app-", "prefixed", "User:bob", "10.0.0.1", "all", "deny"});
    auto back = parse_manifest(serialize_manifest(m));
    BOOST_TEST((back.acls == m.acls));
    BOOST_TEST(error_after([](json& j) {
                   j["acls"] = json::array({{{"resource_type", "topic"}}});
               }) == "manifest: acls[0].resource_name: missing");
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_ignored_for_forward_compatibility) {
    auto j = json::parse(serialize_manifest(sample_manifest()));
    j["added_in_a_later_version"] = {{"x", 1}};
    BOOST_TEST(parse_manifest(j.dump()).backup_id == "nightly-2024.05.01");
}

BOOST_AUTO_TEST_CASE(timestamps_round_trip_at_millisecond_precision) {
    for (auto text :
         {"1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2100-12-31T12:34:56.007Z"})
        BOOST_TEST(format_timestamp(parse_timestamp(text)) == text);
    BOOST_TEST(parse_timestamp("1970-01-01T00:00:01.500Z").time_since_epoch().count() == 1500);
    for (auto bad :
         {"2024-02-30T00:00:00.000Z", "2024-01-01 00:00:00.000Z", "2024-01-01T24:00:00.000Z", ""})
        BOOST_CHECK_THROW(parse_timestamp(bad), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(key_layout) {
    backup_layout k("b1", "/team/prod/");
    BOOST_TEST(k.root() == "team/prod/b1");
    // Format 2: a segment is keyed by its first offset, known when it opens.
    BOOST_TEST(k.segment("t.x", 12, 5) == "team/prod/b1/segments/t.x/12/00000000000000000005.seg");
    BOOST_TEST(k.manifest(42) == "team/prod/b1/manifests/manifest-00000000000000000042.json");
    BOOST_TEST(k.checkpoint("t.x-12.json") == "team/prod/b1/checkpoints/t.x-12.json");
    BOOST_TEST(k.lock() == "team/prod/b1/lock.json");
    BOOST_TEST(backup_layout("b1").root() == "b1");
    BOOST_TEST(*parse_manifest_sequence(k.manifest(42)) == 42u);
    BOOST_TEST(!parse_manifest_sequence("b1/manifests/manifest-42.json"));
    auto s = parse_segment_key(k.segment("t.x", 12, 5));
    BOOST_REQUIRE(s);
    BOOST_TEST(s->topic == "t.x");
    BOOST_TEST(s->partition == 12);
    BOOST_TEST(s->first_offset == 5);
    BOOST_TEST(!s->last_offset);
    BOOST_TEST(!parse_segment_key("b1/segments/t/x/00000000000000000005.seg"));
    BOOST_TEST(!parse_segment_key("b1/segments/t/0/0000000000000000005.seg"));
    BOOST_CHECK_THROW(backup_layout("a/b"), std::invalid_argument);
    BOOST_CHECK_THROW(k.segment("bad/topic", 0, 0), std::invalid_argument);
    BOOST_CHECK_THROW(k.segment("t", 0, -1), std::invalid_argument);
    BOOST_CHECK_THROW(k.checkpoint("../x"), std::invalid_argument);
}

// Format 1 keys named the last offset too; they are no longer written but still parse.
BOOST_AUTO_TEST_CASE(format_1_segment_keys_still_parse) {
    backup_layout k("b1");
    BOOST_TEST(k.segment_v1("t.x", 12, 5, 99) ==
               "b1/segments/t.x/12/00000000000000000005-00000000000000000099.seg");
    auto s = parse_segment_key(k.segment_v1("t.x", 12, 5, 99));
    BOOST_REQUIRE(s);
    BOOST_TEST(s->first_offset == 5);
    BOOST_TEST(s->last_offset.value() == 99);
    BOOST_TEST(!parse_segment_key("b1/segments/t/x/00000000000000000005-00000000000000000099.seg"));
    BOOST_CHECK_THROW(k.segment_v1("t", 0, 5, 4), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
