// OSO's manifest.json (0.17.4 as written by the real binary, 0.25 by its schema)
// in our manifest model.
#include "../storage_fs/test_support.hpp"
#include "fixtures.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/format/oso.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/test/unit_test.hpp>

namespace sf = kb::storage::format;
using namespace kb::test::oso;

namespace {

std::string error_of(const std::string& text) {
    try {
        sf::parse_oso_manifest(text);
    } catch (const kb::error& e) {
        return e.what();
    }
    return "";
}

// An OSO 0.25 engine manifest, written from its schema: configurations, replication
// factor, sha256, a gap, a pruned range, an empty partition, fields we do not use.
const char* manifest_025 = R"({
  "backup_id": "daily", "created_at": 1736899200000, "source_cluster_id": "abc",
  "source_brokers": ["b1:9092"], "compression": "lz4", "isolation_level": "read_committed",
  "topics": [{
    "name": "orders", "original_partition_count": 3, "source_replication_factor": 2,
    "configurations": {"cleanup.policy": "compact", "retention.ms": "1000"},
    "partitions": [
      {"partition_id": 1, "segments": [
         {"key": "daily/topics/orders/partition=1/segment-00000000000000000020.bin.lz4",
          "start_offset": 20, "end_offset": 29, "start_timestamp": 1736899205000,
          "end_timestamp": 1736899201000, "record_count": 10, "uncompressed_size": 900,
          "compressed_size": 500, "sha256": "00", "uploaded_at": 1736899300000},
         {"key": "daily/topics/orders/partition=1/segment-00000000000000000000.bin.lz4",
          "start_offset": 0, "end_offset": 9, "start_timestamp": 1736899200000,
          "end_timestamp": 1736899200500, "record_count": 10, "uploaded_at": 1736899250000}],
       "gaps": [{"start_offset": 10, "end_offset": 15, "reason": "offset_out_of_range", "detected_at": 1}],
       "pruned": [{"start_offset": 15, "end_offset": 19, "segments": 1, "bytes": 10,
                   "pruned_at": 2, "cutoff_timestamp": 3, "reason": "retention"}],
       "covered_through": 29, "snapshot_end_offset": 30},
      {"partition_id": 2, "segments": []}]
  }]
})";

}  // namespace

BOOST_AUTO_TEST_SUITE(oso_manifest)

BOOST_AUTO_TEST_CASE(fixture_manifests_convert) {
    for (auto& [version, backup] : all_backups()) {
        auto text = slurp(version / "backups" / backup / "manifest.json");
        BOOST_TEST(sf::looks_like_oso_manifest(text));
        auto m = sf::parse_oso_manifest(text);
        BOOST_TEST(m.backup_id == backup);
        auto codec = backup.substr(backup.rfind('-') + 1);  // oso-zstd, oso25-lz4, ...
        BOOST_TEST((m.status == sf::backup_status::complete));
        BOOST_REQUIRE(m.topics.size() == 2u);
        std::uint64_t records = 0, segments = 0;
        for (auto& t : m.topics) {
            BOOST_TEST(t.partition_count == (t.name == "osoformat-fx-orders" ? 3 : 2));
            for (std::size_t i = 0; i < t.partitions.size(); ++i) {
                auto& p = t.partitions[i];
                BOOST_TEST(p.partition == static_cast<std::int32_t>(i));  // sorted
                BOOST_TEST(p.segments.size() == 3u);
                BOOST_TEST(p.end_offset == 14);
                for (auto& s : p.segments) {
                    ++segments;
                    records += s.record_count;
                    BOOST_TEST(s.compression == codec);
                    BOOST_TEST(s.stored_bytes > 40u);
                }
            }
        }
        BOOST_TEST(records == 70u);
        BOOST_TEST(segments == 15u);
    }
}

BOOST_AUTO_TEST_CASE(engine_025_fields_convert) {
    auto m = sf::parse_oso_manifest(manifest_025);
    BOOST_TEST(m.source.cluster_id == "abc");
    BOOST_TEST(m.source.bootstrap_servers.at(0) == "b1:9092");
    auto& t = m.topics.at(0);
    BOOST_TEST(t.partition_count == 3);
    BOOST_TEST(t.replication_factor == 2);
    BOOST_TEST(t.configs.at("cleanup.policy") == "compact");
    BOOST_TEST(t.empty_partitions == std::vector<std::int32_t>{2});
    auto& p = t.partitions.at(0);
    BOOST_TEST(p.segments.at(0).first_offset == 0);  // sorted by offset
    BOOST_TEST(p.segments.at(1).min_timestamp == 1736899201000);
    BOOST_TEST(p.segments.at(1).max_timestamp == 1736899205000);
    BOOST_REQUIRE(p.retention_gaps.size() == 2u);
    BOOST_TEST(p.retention_gaps[0].first_offset == 10);
    BOOST_TEST(p.retention_gaps[0].last_offset == 14);  // OSO's end is exclusive
    BOOST_TEST(p.retention_gaps[1].last_offset == 19);  // pruned ranges are inclusive
    BOOST_TEST(sf::format_timestamp(m.updated_at) == "2025-01-15T00:01:40.000Z");
}

BOOST_AUTO_TEST_CASE(our_manifest_is_not_taken_for_oso) {
    sf::manifest ours;
    ours.backup_id = "x";
    BOOST_TEST(!sf::looks_like_oso_manifest(sf::serialize_manifest(ours)));
    BOOST_TEST(!sf::looks_like_oso_manifest("not json"));
}

BOOST_AUTO_TEST_CASE(bad_fields_are_named) {
    std::string bad = manifest_025;
    bad.replace(bad.find("\"end_offset\": 29"), 16, "\"end_offset\": 19");
    BOOST_TEST(
        error_of(bad).find("topics[0].partitions[0].segments[0].end_offset: below start_offset") !=
        std::string::npos);
    BOOST_TEST(
        error_of(R"({"backup_id": "a/b", "created_at": 1, "topics": []})").find("backup_id") !=
        std::string::npos);
    BOOST_TEST(error_of(R"({"backup_id": "a", "created_at": 1})").find("topics: missing") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(manifest_keys) {
    BOOST_TEST(sf::oso_manifest_key("daily") == "daily/manifest.json");
    BOOST_TEST(*sf::oso_backup_id_of("daily/manifest.json") == "daily");
    BOOST_TEST(!sf::oso_backup_id_of("a/b/manifest.json"));
    BOOST_TEST(!sf::oso_backup_id_of("daily/manifests/manifest-00000000000000000001.json"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(osos_group_snapshot_becomes_the_manifests_groups) {
    // A copy of a fixture backup with the file OSO's snapshot-groups writes beside it.
    kb::test::scratch_dir dir;
    std::filesystem::copy(v0174 / "backups" / "oso-zstd", dir.path / "oso-zstd",
                          std::filesystem::copy_options::recursive);
    std::ofstream(dir.path / "oso-zstd" / "consumer-groups-snapshot.json")
        << R"({"snapshot_time": 1736899200000, "groups": [{"group_id": "orders-app",
              "offsets": {"osoformat-fx-orders": {"2": 9, "0": 14}}}]})";
    boost::asio::io_context io;
    auto b = kb::storage::make_fs_backend(io.get_executor(), dir.path);
    auto m = kb::test::run(io, sf::read_backup_manifest(*b, "oso-zstd"));
    BOOST_REQUIRE(m.has_value());
    BOOST_REQUIRE_EQUAL(m->consumer_groups.size(), 1u);
    const auto& g = m->consumer_groups[0];
    BOOST_TEST(g.group_id == "orders-app");
    BOOST_TEST(g.taken_at.time_since_epoch().count() == 1736899200000);
    BOOST_REQUIRE_EQUAL(g.offsets.size(), 2u);
    BOOST_TEST(g.offsets[0].partition == 0);  // sorted
    BOOST_TEST(g.offsets[0].offset == 14);
    BOOST_TEST(g.offsets[1].offset == 9);
    // Without the file, no groups (as before).
    std::filesystem::remove(dir.path / "oso-zstd" / "consumer-groups-snapshot.json");
    BOOST_TEST(
        kb::test::run(io, sf::read_backup_manifest(*b, "oso-zstd"))->consumer_groups.empty());
    try {
        sf::parse_oso_group_snapshot(
            R"({"groups": [{"group_id": "g", "offsets": {"t": {"x": 1}}}]})");
        BOOST_FAIL("accepted a partition that is not a number");
    } catch (const kb::error& e) {
        BOOST_TEST(std::string(e.what()).find("groups[0].offsets.t.x") != std::string::npos,
                   e.what());
    }
}
