// Round trips for the admin, producer-id and SASL APIs, every supported version.

#include <kb/kafka/protocol/create_partitions.hpp>
#include <kb/kafka/protocol/create_topics.hpp>
#include <kb/kafka/protocol/delete_records.hpp>
#include <kb/kafka/protocol/delete_topics.hpp>
#include <kb/kafka/protocol/describe_cluster.hpp>
#include <kb/kafka/protocol/describe_configs.hpp>
#include <kb/kafka/protocol/init_producer_id.hpp>
#include <kb/kafka/protocol/offset_delete.hpp>
#include <kb/kafka/protocol/sasl.hpp>

#include "roundtrip.hpp"
#include "test_util.hpp"

using namespace kb::kafka::protocol;
using namespace kb::kafka::protocol::test;

namespace {

uuid make_uuid(int seed) {
    uuid id;
    for (std::size_t i = 0; i < 16; ++i) id.bytes[i] = std::byte(seed * 3 + int(i));
    return id;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(roundtrip_admin)

BOOST_AUTO_TEST_CASE(create_topics) {
    check_round_trips<create_topics_request>(api_key::CreateTopics, [](int16_t v) {
        create_topics_request r;
        create_topics_request::topic t{
            "orders", 6, 3, {}, {{"cleanup.policy", "compact"}, {"retention.ms", std::nullopt}}};
        create_topics_request::topic manual{"manual", -1, -1, {{0, {1, 2}}, {1, {2, 3}}}, {}};
        r.topics = {t, manual};
        r.timeout_ms = 30000;
        if (v >= 1) r.validate_only = true;
        return r;
    });
    check_round_trips<create_topics_response>(api_key::CreateTopics, [](int16_t v) {
        create_topics_response r;
        if (v >= 2) r.throttle_time_ms = 2;
        create_topics_response::topic t;
        t.name = "orders";
        if (v >= 7) t.topic_id = make_uuid(1);
        t.error_code = 36;
        if (v >= 1) t.error_message = "Topic 'orders' already exists.";
        if (v >= 5) {
            t.topic_config_error_code = 29;
            t.num_partitions = 6;
            t.replication_factor = 3;
            t.configs = std::vector<create_topics_response::config>{
                {"cleanup.policy", "compact", false, 1, false},
                {"secret", std::nullopt, true, 5, true}};
        }
        r.topics = {t};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(delete_topics) {
    check_round_trips<delete_topics_request>(api_key::DeleteTopics, [](int16_t v) {
        delete_topics_request r;
        r.topics = {{"a", {}}, {"b", {}}};
        if (v >= 6) r.topics.push_back({std::nullopt, make_uuid(2)});
        r.timeout_ms = 15000;
        return r;
    });
    check_round_trips<delete_topics_response>(api_key::DeleteTopics, [](int16_t v) {
        delete_topics_response r;
        if (v >= 1) r.throttle_time_ms = 1;
        delete_topics_response::result a{"a", {}, 0, std::nullopt};
        delete_topics_response::result b{"b", {}, 3, std::nullopt};
        if (v >= 5) b.error_message = "unknown";
        if (v >= 6) a.topic_id = make_uuid(3);
        r.responses = {a, b};
        if (v >= 6) r.responses.push_back({std::nullopt, make_uuid(4), 100, std::nullopt});
        return r;
    });
}

BOOST_AUTO_TEST_CASE(delete_topics_by_id_needs_v6) {
    delete_topics_request r;
    r.topics = {{std::nullopt, make_uuid(2)}};
    writer w;
    BOOST_CHECK_THROW(r.encode(w, 5), kb::error);
}

BOOST_AUTO_TEST_CASE(create_partitions) {
    check_round_trips<create_partitions_request>(api_key::CreatePartitions, [](int16_t) {
        create_partitions_request r;
        r.topics = {
            {"orders", 12, std::nullopt},
            {"manual", 3, std::vector<create_partitions_request::assignment>{{{1, 2}}, {{3}}}}};
        r.timeout_ms = 10000;
        r.validate_only = true;
        return r;
    });
    check_round_trips<create_partitions_response>(api_key::CreatePartitions, [](int16_t) {
        create_partitions_response r;
        r.throttle_time_ms = 3;
        r.results = {{"orders", 0, std::nullopt}, {"manual", 37, "fewer partitions"}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(describe_configs) {
    check_round_trips<describe_configs_request>(api_key::DescribeConfigs, [](int16_t v) {
        describe_configs_request r;
        r.resources = {{resource_type_topic, "orders", std::nullopt},
                       {resource_type_broker, "1", std::vector<std::string>{"log.dirs"}}};
        if (v >= 1) r.include_synonyms = true;
        if (v >= 3) r.include_documentation = true;
        return r;
    });
    check_round_trips<describe_configs_response>(api_key::DescribeConfigs, [](int16_t v) {
        describe_configs_response r;
        r.throttle_time_ms = 1;
        describe_configs_response::config c;
        c.name = "retention.ms";
        c.value = "86400000";
        c.read_only = false;
        if (v == 0) c.is_default = false;
        if (v >= 1) {
            c.config_source = config_source_dynamic_topic;
            c.synonyms = {{"retention.ms", "86400000", 1},
                          {"log.retention.hours", std::nullopt, 5}};
        }
        c.is_sensitive = false;
        if (v >= 3) {
            c.config_type = 5;
            c.documentation = "How long to keep data";
        }
        describe_configs_response::config secret;
        secret.name = "sasl.jaas.config";
        secret.is_sensitive = true;
        r.results = {{0, std::nullopt, resource_type_topic, "orders", {c, secret}},
                     {3, "no such topic", resource_type_topic, "nope", {}}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(describe_cluster) {
    check_round_trips<describe_cluster_request>(api_key::DescribeCluster, [](int16_t v) {
        describe_cluster_request r;
        r.include_cluster_authorized_operations = true;
        if (v >= 1) r.endpoint_type = 2;
        return r;
    });
    check_round_trips<describe_cluster_response>(api_key::DescribeCluster, [](int16_t v) {
        describe_cluster_response r;
        r.throttle_time_ms = 1;
        r.error_message = std::nullopt;
        if (v >= 1) r.endpoint_type = 2;
        r.cluster_id = "abc-cluster";
        r.controller_id = 1;
        r.brokers = {{1, "b1", 9092, std::nullopt}, {2, "b2", 9092, "r2"}};
        r.cluster_authorized_operations = 0x3;
        return r;
    });
}

BOOST_AUTO_TEST_CASE(init_producer_id) {
    check_round_trips<init_producer_id_request>(api_key::InitProducerId, [](int16_t v) {
        init_producer_id_request r;
        r.transactional_id = std::nullopt;
        r.transaction_timeout_ms = 60000;
        if (v >= 3) r.producer_id = 1000, r.producer_epoch = 2;
        return r;
    });
    check_round_trips<init_producer_id_response>(api_key::InitProducerId, [](int16_t) {
        return init_producer_id_response{1, 0, 4000, 7};
    });
}

BOOST_AUTO_TEST_CASE(delete_records) {
    check_round_trips<delete_records_request>(api_key::DeleteRecords, [](int16_t) {
        delete_records_request r;
        r.topics = {{"orders", {{0, 100}, {1, -1}}}};
        r.timeout_ms = 5000;
        return r;
    });
    check_round_trips<delete_records_response>(api_key::DeleteRecords, [](int16_t) {
        delete_records_response r;
        r.throttle_time_ms = 1;
        r.topics = {{"orders", {{0, 100, 0}, {1, -1, 6}}}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(offset_delete) {
    check_round_trips<offset_delete_request>(api_key::OffsetDelete, [](int16_t) {
        offset_delete_request r;
        r.group_id = "orders-streams";
        r.topics = {{"orders", {0, 2}}, {"payments", {}}};
        return r;
    });
    check_round_trips<offset_delete_response>(api_key::OffsetDelete, [](int16_t) {
        offset_delete_response r;
        r.error_code = 0;
        r.throttle_time_ms = 3;
        r.topics = {{"orders", {{0, 0}, {2, 86}}}, {"payments", {}}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(offset_delete_v0_bytes_follow_the_schema) {
    // GroupId string | Topics int32 count | Name string | Partitions int32 count | int32s
    offset_delete_request r;
    r.group_id = "g";
    r.topics = {{"t", {0, 1}}};
    writer w;
    r.encode(w, 0);
    BOOST_TEST((w.buffer() ==
                bytes_of({0, 1, 'g', 0, 0, 0, 1, 0, 1, 't', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1})));
    // ErrorCode int16 | ThrottleTimeMs int32 | Topics: "t" with (partition 1, error 86)
    const auto body =
        bytes_of({0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 1, 't', 0, 0, 0, 1, 0, 0, 0, 1, 0, 86});
    reader rd(body);
    const auto resp = offset_delete_response::decode(rd, 0);
    BOOST_TEST(rd.empty());
    BOOST_TEST(resp.throttle_time_ms == 5);
    BOOST_TEST(resp.topics.at(0).partitions.at(0).partition_index == 1);
    BOOST_TEST(resp.topics.at(0).partitions.at(0).error_code == 86);
}

BOOST_AUTO_TEST_CASE(sasl) {
    check_round_trips<sasl_handshake_request>(
        api_key::SaslHandshake, [](int16_t) { return sasl_handshake_request{"SCRAM-SHA-512"}; });
    check_round_trips<sasl_handshake_response>(api_key::SaslHandshake, [](int16_t) {
        return sasl_handshake_response{0, {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}};
    });
    check_round_trips<sasl_authenticate_request>(api_key::SaslAuthenticate, [](int16_t) {
        return sasl_authenticate_request{bytes_of("n,,n=user,r=nonce")};
    });
    check_round_trips<sasl_authenticate_response>(api_key::SaslAuthenticate, [](int16_t v) {
        sasl_authenticate_response r{58, "Authentication failed", bytes_of("e=invalid-proof"), 0};
        if (v >= 1) r.session_lifetime_ms = 3600000;
        return r;
    });
}

BOOST_AUTO_TEST_SUITE_END()
