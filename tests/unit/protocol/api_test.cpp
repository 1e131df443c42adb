// Version tables, negotiation, headers and error classification.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/header.hpp>
#include <kb/kafka/protocol/metadata.hpp>

#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

using namespace kb::kafka::protocol;
using kb::kafka::protocol::test::bytes_of;

namespace {

// Broker ranges as advertised by Kafka 2.8 and by Kafka 4.0 (after KIP-896).
struct broker_versions {
    api_key key;
    version_range kafka_2_8;
    version_range kafka_4_0;
};

const broker_versions brokers[] = {
    {api_key::Produce, {0, 9}, {3, 12}},         {api_key::Fetch, {0, 12}, {4, 17}},
    {api_key::ListOffsets, {0, 6}, {1, 9}},      {api_key::Metadata, {0, 11}, {0, 12}},
    {api_key::OffsetCommit, {0, 8}, {2, 9}},     {api_key::OffsetFetch, {0, 7}, {1, 9}},
    {api_key::FindCoordinator, {0, 3}, {0, 6}},  {api_key::DescribeGroups, {0, 5}, {0, 5}},
    {api_key::ListGroups, {0, 4}, {0, 5}},       {api_key::SaslHandshake, {0, 1}, {0, 1}},
    {api_key::ApiVersions, {0, 3}, {0, 4}},      {api_key::CreateTopics, {0, 7}, {2, 7}},
    {api_key::DeleteTopics, {0, 6}, {1, 6}},     {api_key::DeleteRecords, {0, 2}, {0, 2}},
    {api_key::InitProducerId, {0, 4}, {0, 5}},   {api_key::DescribeConfigs, {0, 4}, {1, 4}},
    {api_key::SaslAuthenticate, {0, 2}, {0, 2}}, {api_key::CreatePartitions, {0, 3}, {0, 3}},
    {api_key::OffsetDelete, {0, 0}, {0, 0}},     {api_key::DescribeCluster, {0, 0}, {0, 1}},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(api)

BOOST_AUTO_TEST_CASE(every_api_negotiates_with_kafka_2_8_and_4_0) {
    for (const auto& b : brokers) {
        const auto old_v = negotiate(b.key, b.kafka_2_8);
        const auto new_v = negotiate(b.key, b.kafka_4_0);
        BOOST_TEST_CONTEXT(api_name(b.key)) {
            BOOST_TEST(old_v.has_value());
            BOOST_TEST(new_v.has_value());
            BOOST_TEST(b.kafka_2_8.contains(*old_v));
            BOOST_TEST(b.kafka_4_0.contains(*new_v));
            BOOST_TEST(codec_range(b.key).contains(*old_v));
            BOOST_TEST(codec_range(b.key).contains(*new_v));
        }
    }
}

BOOST_AUTO_TEST_CASE(negotiation_picks_the_highest_common_version) {
    BOOST_TEST(negotiate(api_key::Metadata, {0, 11}).value() == 11);
    BOOST_TEST(negotiate(api_key::Metadata, {0, 99}).value() ==
               client_range(api_key::Metadata).max);
    BOOST_TEST(negotiate(api_key::Produce, {5, 7}).value() == 7);
    BOOST_TEST(!negotiate(api_key::Produce, {0, 2}).has_value());  // too old for us
    BOOST_TEST(!negotiate(api_key::Fetch, {20, 30}).has_value());  // too new for us
    BOOST_TEST(negotiate(api_key::Fetch, {4, 17}).value() == 12);  // we stop at 12 (names)
}

// Kafka 2.8.2 (ZooKeeper) and 4.3.0 (KRaft) as measured with kafka-broker-api-versions.sh
// against scripts/env.sh --kafka-version brokers: every API we send negotiates.
BOOST_AUTO_TEST_CASE(every_api_negotiates_with_measured_2_8_2_and_4_3_0) {
    const std::pair<api_key, std::pair<version_range, version_range>> measured[] = {
        {api_key::Produce, {{0, 9}, {0, 13}}},
        {api_key::Fetch, {{0, 12}, {4, 18}}},
        {api_key::ListOffsets, {{0, 6}, {1, 11}}},
        {api_key::Metadata, {{0, 11}, {0, 13}}},
        {api_key::OffsetCommit, {{0, 8}, {2, 10}}},
        {api_key::OffsetFetch, {{0, 7}, {1, 10}}},
        {api_key::FindCoordinator, {{0, 3}, {0, 6}}},
        {api_key::DescribeGroups, {{0, 5}, {0, 6}}},
        {api_key::ListGroups, {{0, 4}, {0, 5}}},
        {api_key::SaslHandshake, {{0, 1}, {0, 1}}},
        {api_key::ApiVersions, {{0, 3}, {0, 4}}},
        {api_key::CreateTopics, {{0, 7}, {2, 7}}},
        {api_key::DeleteTopics, {{0, 6}, {1, 6}}},
        {api_key::DeleteRecords, {{0, 2}, {0, 2}}},
        {api_key::InitProducerId, {{0, 4}, {0, 5}}},
        {api_key::DescribeAcls, {{0, 2}, {1, 3}}},  // 2.8.2: its clients jar's schema
        {api_key::CreateAcls, {{0, 2}, {1, 3}}},
        {api_key::DescribeConfigs, {{0, 4}, {1, 4}}},
        {api_key::SaslAuthenticate, {{0, 2}, {0, 2}}},
        {api_key::CreatePartitions, {{0, 3}, {0, 3}}},
        {api_key::OffsetDelete, {{0, 0}, {0, 0}}},
        {api_key::DescribeCluster, {{0, 0}, {0, 2}}},
    };
    // Optional APIs, asked only of brokers that offer them: absent on 2.8.2.
    const std::pair<api_key, version_range> optional_on_4_3_0[] = {
        {api_key::ConsumerGroupDescribe, {0, 1}},
    };
    BOOST_TEST(std::size(measured) + std::size(optional_on_4_3_0) == std::size(all_api_keys));
    for (const auto& [key, range] : optional_on_4_3_0) {
        BOOST_TEST_CONTEXT(api_name(key)) {
            BOOST_TEST(negotiate(key, range).has_value());
        }
    }
    for (const auto& [key, ranges] : measured) {
        BOOST_TEST_CONTEXT(api_name(key)) {
            BOOST_TEST(negotiate(key, ranges.first).has_value());
            BOOST_TEST(negotiate(key, ranges.second).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(an_api_an_old_broker_lacks_names_the_kafka_release_that_has_it) {
    // Kafka 2.3 has no OffsetDelete (KIP-496, 2.4); Kafka 2.7 no DescribeCluster (2.8).
    BOOST_TEST(kafka_release_with(api_key::OffsetDelete) == "2.4");
    BOOST_TEST(unsupported_api_reason(api_key::OffsetDelete, std::nullopt) ==
               "OffsetDelete versions 0..0 that we speak (it does not offer it at all): "
               "Kafka 2.4 or newer has it");
    BOOST_TEST(unsupported_api_reason(api_key::Produce, version_range{0, 2}) ==
               "Produce versions 3..11 that we speak (it offers 0..2): Kafka 0.11 or newer has it");
    BOOST_TEST(unsupported_api_reason(api_key::Fetch, version_range{20, 30}) ==
               "Fetch versions 4..12 that we speak (it offers 20..30): the broker is newer than "
               "this kafka-backup knows");
    for (auto key : all_api_keys) BOOST_TEST(!kafka_release_with(key).empty());
}

BOOST_AUTO_TEST_CASE(client_range_is_inside_codec_range) {
    for (auto key : all_api_keys) {
        const auto c = client_range(key);
        const auto k = codec_range(key);
        BOOST_TEST(!c.empty());
        BOOST_TEST(c.min >= k.min);
        BOOST_TEST(c.max <= k.max);
    }
}

BOOST_AUTO_TEST_CASE(flexible_versions_follow_the_schemas) {
    BOOST_TEST(!is_flexible(api_key::Metadata, 8));
    BOOST_TEST(is_flexible(api_key::Metadata, 9));
    BOOST_TEST(!is_flexible(api_key::Fetch, 11));
    BOOST_TEST(is_flexible(api_key::Fetch, 12));
    BOOST_TEST(is_flexible(api_key::DescribeCluster, 0));
    BOOST_TEST(!is_flexible(api_key::SaslHandshake, 1));
    BOOST_TEST(is_flexible(api_key::ApiVersions, 3));
    BOOST_TEST(request_header_version(api_key::ApiVersions, 3) == 2);
    BOOST_TEST(response_header_version(api_key::ApiVersions, 3) == 0);
    BOOST_TEST(response_header_version(api_key::Metadata, 9) == 1);
    BOOST_TEST(response_header_version(api_key::Metadata, 8) == 0);
}

BOOST_AUTO_TEST_CASE(request_header_round_trip) {
    for (int16_t v : {int16_t{1}, int16_t{12}}) {
        writer w;
        write_request_header(w, api_key::Metadata, v, 77, "client-x");
        reader r(w.buffer());
        const auto h = read_request_header(r);
        BOOST_TEST((h.key == api_key::Metadata));
        BOOST_TEST(h.version == v);
        BOOST_TEST(h.correlation_id == 77);
        BOOST_TEST(h.client_id.value() == "client-x");
        BOOST_TEST(r.empty());
    }
}

BOOST_AUTO_TEST_CASE(response_header_v1_skips_tags) {
    const auto bytes = bytes_of({0, 0, 0, 9, 0x01, 0x05, 0x01, 0xaa});
    reader r(bytes);
    BOOST_TEST(read_response_header(r, api_key::Metadata, 12) == 9);
    BOOST_TEST(r.empty());
    reader r0(bytes);
    BOOST_TEST(read_response_header(r0, api_key::ApiVersions, 3) == 9);
    BOOST_TEST(r0.remaining() == 4u);  // ApiVersions: header v0, no tags
}

BOOST_AUTO_TEST_CASE(encode_request_frame_prefixes_the_size) {
    metadata_request req;
    const auto frame = encode_request_frame(req, 1, 5, "c");
    reader r(frame);
    BOOST_TEST(r.int32() == static_cast<int32_t>(frame.size() - 4));
    const auto h = read_request_header(r);
    BOOST_TEST(h.correlation_id == 5);
    BOOST_TEST(r.int32() == -1);  // null topic array = all topics
}

BOOST_AUTO_TEST_CASE(error_names_and_classes) {
    BOOST_TEST(error_name(6) == "NOT_LEADER_OR_FOLLOWER");
    BOOST_TEST(error_name(-1) == "UNKNOWN_SERVER_ERROR");
    BOOST_TEST(error_name(58) == "SASL_AUTHENTICATION_FAILED");
    BOOST_TEST(error_name(120) == "TRANSACTION_ABORTABLE");
    BOOST_TEST(error_name(999) == "UNKNOWN_ERROR_CODE");
    for (int16_t code = -1; code <= 128; ++code) {
        if (code == 99) continue;  // unassigned in Kafka
        BOOST_TEST(error_name(code) != "UNKNOWN_ERROR_CODE", "code " << code);
    }
    BOOST_TEST((classify_error(0) == error_kind::none));
    BOOST_TEST((classify_error(err::not_leader_or_follower) == error_kind::needs_metadata));
    BOOST_TEST((classify_error(err::leader_not_available) == error_kind::needs_metadata));
    BOOST_TEST((classify_error(err::unknown_topic_or_partition) == error_kind::needs_metadata));
    BOOST_TEST((classify_error(err::not_coordinator) == error_kind::needs_metadata));
    BOOST_TEST((classify_error(err::request_timed_out) == error_kind::retriable));
    BOOST_TEST((classify_error(err::coordinator_load_in_progress) == error_kind::retriable));
    BOOST_TEST((classify_error(err::message_too_large) == error_kind::fatal));
    BOOST_TEST((classify_error(err::topic_authorization_failed) == error_kind::fatal));
    BOOST_TEST((classify_error(err::out_of_order_sequence_number) == error_kind::fatal));
}

BOOST_AUTO_TEST_CASE(make_error_maps_to_runtime_classes) {
    const auto auth = make_error(err::sasl_authentication_failed, "login", "bad password");
    BOOST_TEST((auth.cls() == kb::error_class::auth));
    BOOST_TEST(auth.code() == "SASL_AUTHENTICATION_FAILED");
    BOOST_TEST(std::string(auth.what()).find("bad password") != std::string::npos);
    BOOST_TEST(
        (make_error(err::unknown_topic_or_partition, "x").cls() == kb::error_class::not_found));
    BOOST_TEST((make_error(err::request_timed_out, "x").cls() == kb::error_class::retryable));
    BOOST_TEST((make_error(err::message_too_large, "x").cls() == kb::error_class::fatal));
}

// The reasons callers act on come from the numeric code, never the broker's message.
BOOST_AUTO_TEST_CASE(make_error_sets_the_reason_from_the_code) {
    BOOST_TEST(
        (make_error(err::non_empty_group, "delete offsets").why() == kb::reason::group_active));
    BOOST_TEST(
        (make_error(err::unknown_topic_or_partition, "x").why() == kb::reason::topic_unknown));
    BOOST_TEST(
        (make_error(err::sasl_authentication_failed, "login").why() == kb::reason::sasl_failed));
    auto lookalike = make_error(err::invalid_request, "commit",
                                "GROUP_HAS_ACTIVE_MEMBERS SASL_AUTHENTICATION_FAILED");
    BOOST_TEST((lookalike.why() == kb::reason::unspecified));
}

BOOST_AUTO_TEST_SUITE_END()
