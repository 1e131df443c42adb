// Round trips for the data-path and group APIs, every supported version.
// Samples set each field only in versions that carry it (others keep defaults).

#include <kb/kafka/protocol/api_versions.hpp>
#include <kb/kafka/protocol/describe_groups.hpp>
#include <kb/kafka/protocol/fetch.hpp>
#include <kb/kafka/protocol/find_coordinator.hpp>
#include <kb/kafka/protocol/list_groups.hpp>
#include <kb/kafka/protocol/list_offsets.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/kafka/protocol/offset_commit.hpp>
#include <kb/kafka/protocol/offset_fetch.hpp>
#include <kb/kafka/protocol/produce.hpp>
#include <kb/kafka/protocol/record_batch.hpp>

#include "roundtrip.hpp"
#include "test_util.hpp"

using namespace kb::kafka::protocol;
using namespace kb::kafka::protocol::test;
using kb::runtime::shared_buffer;

namespace {

uuid make_uuid(int seed) {
    uuid id;
    for (std::size_t i = 0; i < 16; ++i) id.bytes[i] = std::byte(seed + int(i));
    return id;
}

shared_buffer sample_batch() {
    record_input in;
    in.timestamp = 42;
    const auto value = bytes_of("payload");
    in.value = std::span<const std::byte>(value);
    return shared_buffer::copy_of(encode_batch({.compression = codec::gzip}, std::span(&in, 1)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(roundtrip_core)

BOOST_AUTO_TEST_CASE(api_versions) {
    check_round_trips<api_versions_request>(api_key::ApiVersions, [](int16_t v) {
        api_versions_request r;
        if (v >= 3) r.client_software_name = "kafka-backup-test", r.client_software_version = "9.9";
        return r;
    });
    check_round_trips<api_versions_response>(api_key::ApiVersions, [](int16_t v) {
        api_versions_response r;
        r.api_keys = {{0, 3, 11}, {1, 4, 17}, {18, 0, 4}};
        if (v >= 1) r.throttle_time_ms = 12;
        if (v >= 3) r.finalized_features_epoch = 77;
        return r;
    });
}

BOOST_AUTO_TEST_CASE(metadata) {
    check_round_trips<metadata_request>(api_key::Metadata, [](int16_t v) {
        metadata_request r;
        std::vector<metadata_request::topic> topics{{{}, "orders"}};
        if (v >= 10) topics.push_back({make_uuid(1), std::nullopt});
        if (v >= 10) topics[0].topic_id = make_uuid(9);
        r.topics = topics;
        if (v >= 4) r.allow_auto_topic_creation = true;
        if (v >= 8 && v <= 10) r.include_cluster_authorized_operations = true;
        if (v >= 8) r.include_topic_authorized_operations = true;
        return r;
    });
    check_round_trips<metadata_request>(api_key::Metadata,
                                        [](int16_t) { return metadata_request{}; });
    check_round_trips<metadata_response>(api_key::Metadata, [](int16_t v) {
        metadata_response r;
        if (v >= 3) r.throttle_time_ms = 5;
        r.brokers = {{1, "b1.example", 9092, std::nullopt}, {2, "b2.example", 9093, std::nullopt}};
        if (v >= 1) r.brokers[1].rack = "rack-b";
        if (v >= 2) r.cluster_id = "cluster-xyz";
        if (v >= 1) r.controller_id = 2;
        metadata_response::partition p{0, 0, 1, -1, {1, 2}, {1}, {}};
        if (v >= 7) p.leader_epoch = 14;
        if (v >= 5) p.offline_replicas = {2};
        metadata_response::topic t{0, "orders", {}, false, {p, p}, INT32_MIN};
        t.partitions[1].partition_index = 1;
        t.partitions[1].error_code = 5;
        if (v >= 10) t.topic_id = make_uuid(3);
        if (v >= 1) t.is_internal = true;
        if (v >= 8) t.topic_authorized_operations = 0x0f;
        r.topics = {t};
        if (v >= 12) r.topics.push_back({3, std::nullopt, make_uuid(4), false, {}, INT32_MIN});
        if (v >= 8 && v <= 10) r.cluster_authorized_operations = 0x1f;
        return r;
    });
}

BOOST_AUTO_TEST_CASE(list_offsets) {
    check_round_trips<list_offsets_request>(api_key::ListOffsets, [](int16_t v) {
        list_offsets_request r;
        if (v >= 2) r.isolation_level = 1;
        list_offsets_request::partition p{3, -1, earliest_timestamp, 1};
        if (v >= 4) p.current_leader_epoch = 8;
        r.topics = {{"orders", {p, {4, -1, 1700000000000, 1}}}};
        if (v >= 10) r.timeout_ms = 1500;
        return r;
    });
    check_round_trips<list_offsets_response>(api_key::ListOffsets, [](int16_t v) {
        list_offsets_response r;
        if (v >= 2) r.throttle_time_ms = 3;
        list_offsets_response::partition p{3, 0, {}, 1700000000000, 12345, -1};
        if (v >= 4) p.leader_epoch = 2;
        r.topics = {{"orders", {p, {4, 6, {}, -1, -1, -1}}}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(fetch) {
    check_round_trips<fetch_request>(api_key::Fetch, [](int16_t v) {
        fetch_request r;
        if (v >= 12) r.cluster_id = "cluster-xyz";
        r.max_wait_ms = 250;
        r.min_bytes = 1;
        r.max_bytes = 52428800;
        r.isolation_level = 1;
        if (v >= 7) r.session_id = 0, r.session_epoch = -1;
        fetch_request::partition p{0, -1, 1000, -1, -1, 1048576};
        if (v >= 9) p.current_leader_epoch = 4;
        if (v >= 12) p.last_fetched_epoch = 3;
        if (v >= 5) p.log_start_offset = 10;
        fetch_request::topic t{"", {}, {p}};
        if (v >= 13) {
            t.topic_id = make_uuid(7);
        } else {
            t.name = "orders";
        }
        r.topics = {t};
        if (v >= 7) {
            fetch_request::forgotten_topic f{"", {}, {1, 2}};
            if (v >= 13) {
                f.topic_id = make_uuid(8);
            } else {
                f.name = "old";
            }
            r.forgotten_topics_data = {f};
        }
        if (v >= 11) r.rack_id = "rack-a";
        return r;
    });
    check_round_trips<fetch_response>(api_key::Fetch, [](int16_t v) {
        fetch_response r;
        r.throttle_time_ms = 1;
        if (v >= 7) r.error_code = 0, r.session_id = 123;
        fetch_response::partition p;
        p.partition_index = 0;
        p.high_watermark = 500;
        p.last_stable_offset = 490;
        if (v >= 5) p.log_start_offset = 7;
        p.aborted_transactions = std::vector<fetch_response::aborted_transaction>{{55, 480}};
        if (v >= 11) p.preferred_read_replica = 2;
        if (v >= 12) p.current_leader = leader_id_and_epoch{3, 9};
        p.records = sample_batch();
        fetch_response::partition empty;
        empty.partition_index = 1;
        empty.error_code = 1;
        empty.records_null = true;
        fetch_response::topic t{"", {}, {p, empty}};
        if (v >= 13) {
            t.topic_id = make_uuid(7);
        } else {
            t.name = "orders";
        }
        r.responses = {t};
        if (v >= 16) r.node_endpoints = {{3, "b3.example", 9094, "rack-c"}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(fetch_records_are_slices_of_the_response_buffer) {
    fetch_response r;
    fetch_response::partition p;
    p.records = sample_batch();
    r.responses = {{"orders", {}, {p}}};
    writer w;
    r.encode(w, 12);
    const auto owner = shared_buffer::copy_of(w.buffer());
    reader rd(owner.bytes());
    const auto decoded = fetch_response::decode(rd, 12, owner);
    const auto& records = decoded.responses.at(0).partitions.at(0).records;
    BOOST_TEST(records.size() == p.records.size());
    BOOST_TEST(records.data() >= owner.data());
    BOOST_TEST(records.data() + records.size() <= owner.data() + owner.size());
    const auto batches = split_batches(records, nullptr);
    BOOST_REQUIRE_EQUAL(batches.size(), 1u);
    BOOST_TEST(batches[0].crc_ok());
}

BOOST_AUTO_TEST_CASE(produce) {
    check_round_trips<produce_request>(api_key::Produce, [](int16_t) {
        produce_request r;
        r.transactional_id = std::nullopt;
        r.acks = -1;
        r.timeout_ms = 30000;
        r.topic_data = {{"orders", {{0, sample_batch()}, {1, sample_batch()}}}};
        return r;
    });
    check_round_trips<produce_request>(api_key::Produce, [](int16_t) {
        produce_request r;
        r.transactional_id = "txn-1";
        r.topic_data = {{"orders", {{2, sample_batch()}}}};
        return r;
    });
    check_round_trips<produce_response>(api_key::Produce, [](int16_t v) {
        produce_response r;
        produce_response::partition p{0, 0, 100, -1, -1, {}, std::nullopt, std::nullopt};
        p.log_append_time_ms = 1700000000000;
        if (v >= 5) p.log_start_offset = 3;
        if (v >= 8) {
            p.record_errors = {{2, "bad record"}, {3, std::nullopt}};
            p.error_message = "INVALID_RECORD";
        }
        if (v >= 10) p.current_leader = leader_id_and_epoch{1, 2};
        r.responses = {{"orders", {p}}};
        r.throttle_time_ms = 4;
        if (v >= 10) r.node_endpoints = {{1, "b1", 9092, std::nullopt}};
        return r;
    });
}

// The producer stamps its batches where records_tail says they end in the request.
BOOST_AUTO_TEST_CASE(produce_records_end_records_tail_bytes_before_the_request) {
    const auto range = codec_range(api_key::Produce);
    for (int16_t v = range.min; v <= range.max; ++v) {
        produce_request r;
        r.topic_data = {{"orders", {{3, sample_batch()}}}};
        writer w;
        r.encode(w, v);
        const auto& records = r.topic_data[0].partition_data[0].records;
        const auto at = w.size() - produce_request::records_tail(v) - records.size();
        const auto written = std::span(w.buffer()).subspan(at, records.size());
        BOOST_TEST(std::equal(written.begin(), written.end(), records.bytes().begin()),
                   "version " << v);
    }
}

BOOST_AUTO_TEST_CASE(find_coordinator) {
    check_round_trips<find_coordinator_request>(api_key::FindCoordinator, [](int16_t v) {
        find_coordinator_request r;
        r.coordinator_key = "my-group";
        if (v >= 1) r.key_type = 1;
        return r;
    });
    check_round_trips<find_coordinator_response>(api_key::FindCoordinator, [](int16_t v) {
        find_coordinator_response r;
        if (v >= 1) r.throttle_time_ms = 2;
        find_coordinator_response::coordinator c{"", 2, "b2.example", 9093, 0, std::nullopt};
        if (v >= 1) c.error_message = "none";
        if (v >= 4) {
            c.key = "my-group";
            r.coordinators = {c, {"other", -1, "", -1, 15, "COORDINATOR_NOT_AVAILABLE"}};
        } else {
            r.coordinators = {c};
        }
        return r;
    });
}

BOOST_AUTO_TEST_CASE(offset_fetch) {
    check_round_trips<offset_fetch_request>(api_key::OffsetFetch, [](int16_t v) {
        offset_fetch_request r;
        r.group_id = "g1";
        if (v >= 9) r.member_id = "m-1", r.member_epoch = 5;
        r.topics = std::vector<offset_fetch_request::topic>{{"orders", {0, 1, 2}}};
        if (v >= 7) r.require_stable = true;
        return r;
    });
    for (int16_t v = 2; v <= 9; ++v) {  // null topics = all (v2+)
        offset_fetch_request r;
        r.group_id = "g1";
        writer w;
        r.encode(w, v);
        reader rd(w.buffer());
        BOOST_TEST(!offset_fetch_request::decode(rd, v).topics.has_value());
    }
    check_round_trips<offset_fetch_response>(api_key::OffsetFetch, [](int16_t v) {
        offset_fetch_response r;
        if (v >= 3) r.throttle_time_ms = 1;
        offset_fetch_response::partition p{0, 42, -1, "meta", 0};
        if (v >= 5) p.committed_leader_epoch = 3;
        offset_fetch_response::group g{"", {{"orders", {p, {1, -1, -1, std::nullopt, 0}}}}, 0};
        if (v >= 2) g.error_code = 14;
        if (v >= 8) g.group_id = "g1";
        r.groups = {g};
        if (v >= 8) r.groups.push_back({"g2", {}, 69});
        return r;
    });
}

BOOST_AUTO_TEST_CASE(offset_commit) {
    check_round_trips<offset_commit_request>(api_key::OffsetCommit, [](int16_t v) {
        offset_commit_request r;
        r.group_id = "g1";
        if (v >= 1) r.generation_id_or_member_epoch = -1, r.member_id = "";
        if (v >= 7) r.group_instance_id = std::nullopt;
        if (v >= 2 && v <= 4) r.retention_time_ms = 86400000;
        offset_commit_request::partition p{0, 100, -1, -1, "restored"};
        if (v >= 6) p.committed_leader_epoch = 4;
        r.topics = {{"orders", {p, {1, 200, -1, -1, std::nullopt}}}};
        return r;
    });
    check_round_trips<offset_commit_response>(api_key::OffsetCommit, [](int16_t v) {
        offset_commit_response r;
        if (v >= 3) r.throttle_time_ms = 6;
        r.topics = {{"orders", {{0, 0}, {1, 25}}}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(list_and_describe_groups) {
    check_round_trips<list_groups_request>(api_key::ListGroups, [](int16_t v) {
        list_groups_request r;
        if (v >= 4) r.states_filter = {"Stable", "Empty"};
        if (v >= 5) r.types_filter = {"classic"};
        return r;
    });
    check_round_trips<list_groups_response>(api_key::ListGroups, [](int16_t v) {
        list_groups_response r;
        if (v >= 1) r.throttle_time_ms = 1;
        list_groups_response::group g{"g1", "consumer", "", ""};
        if (v >= 4) g.group_state = "Stable";
        if (v >= 5) g.group_type = "classic";
        r.groups = {g, {"g2", "", "", ""}};
        return r;
    });
    check_round_trips<describe_groups_request>(api_key::DescribeGroups, [](int16_t v) {
        describe_groups_request r;
        r.groups = {"g1", "g2"};
        if (v >= 3) r.include_authorized_operations = true;
        return r;
    });
    check_round_trips<describe_groups_response>(api_key::DescribeGroups, [](int16_t v) {
        describe_groups_response r;
        if (v >= 1) r.throttle_time_ms = 1;
        describe_groups_response::member m{"m-1",       std::nullopt,     "client",
                                           "/10.0.0.1", bytes_of({1, 2}), bytes_of({3})};
        if (v >= 4) m.group_instance_id = "static-1";
        describe_groups_response::group g{0, "g1", "Stable", "consumer", "range", {m}, INT32_MIN};
        if (v >= 3) g.authorized_operations = 0x7;
        r.groups = {g, {16, "g2", "Dead", "", "", {}, INT32_MIN}};
        return r;
    });
}

BOOST_AUTO_TEST_SUITE_END()
