// DescribeAcls / CreateAcls: round trips over every version we speak, and the bytes
// of the schema's field order (checked by hand against DescribeAclsRequest.json and
// CreateAclsResponse.json) for the last non-flexible and the first flexible version.

#include <kb/kafka/protocol/acls.hpp>

#include "roundtrip.hpp"
#include "test_util.hpp"

using namespace kb::kafka::protocol;
using namespace kb::kafka::protocol::test;

BOOST_AUTO_TEST_SUITE(acls)

BOOST_AUTO_TEST_CASE(describe_and_create_round_trip) {
    check_round_trips<describe_acls_request>(api_key::DescribeAcls, [](int16_t) {
        describe_acls_request r;
        r.resource_type_filter = acl_resource_topic;
        r.resource_name_filter = "orders";
        r.pattern_type_filter = acl_pattern_match;
        r.principal_filter = "User:alice";
        return r;
    });
    check_round_trips<describe_acls_response>(api_key::DescribeAcls, [](int16_t) {
        describe_acls_response r;
        r.throttle_time_ms = 3;
        r.resources = {
            {acl_resource_topic,
             "orders",
             acl_pattern_literal,
             {{"User:alice", "*", 3, 3}, {"User:bob", "10.0.0.1", 4, 2}}},
            {acl_resource_group, "app-", acl_pattern_prefixed, {{"User:alice", "*", 3, 3}}}};
        return r;
    });
    check_round_trips<describe_acls_response>(api_key::DescribeAcls, [](int16_t) {
        describe_acls_response r;
        r.error_code = 31;  // CLUSTER_AUTHORIZATION_FAILED
        r.error_message = "Cluster authorization failed.";
        return r;
    });
    check_round_trips<create_acls_request>(api_key::CreateAcls, [](int16_t) {
        create_acls_request r;
        r.creations = {
            {acl_resource_topic, "orders", acl_pattern_literal, "User:alice", "*", 3, 3},
            {acl_resource_cluster, "kafka-cluster", acl_pattern_literal, "User:ops", "*", 7, 3}};
        return r;
    });
    check_round_trips<create_acls_response>(api_key::CreateAcls, [](int16_t) {
        create_acls_response r;
        r.results = {{0, std::nullopt}, {87, "Invalid ACL"}};
        return r;
    });
}

BOOST_AUTO_TEST_CASE(describe_request_bytes_follow_the_schema) {
    describe_acls_request r;
    r.resource_type_filter = acl_resource_topic;
    r.resource_name_filter = "t";
    r.pattern_type_filter = acl_pattern_literal;
    writer v1;
    r.encode(v1, 1);
    // type | name (int16 len) | pattern | principal null | host null | operation | permission
    BOOST_TEST((v1.buffer() == bytes_of({2, 0, 1, 't', 3, 0xff, 0xff, 0xff, 0xff, 1, 1})));
    writer v2;
    r.encode(v2, 2);
    // flexible: compact strings (length + 1, null = 0) and an empty tag buffer
    BOOST_TEST((v2.buffer() == bytes_of({2, 2, 't', 3, 0, 0, 1, 1, 0})));
}

BOOST_AUTO_TEST_CASE(create_response_bytes_follow_the_schema) {
    // throttle | compact array of 1 | error 0 | message null | tags | tags
    const auto body = bytes_of({0, 0, 0, 0, 2, 0, 0, 0, 0, 0});
    reader rd(body);
    const auto resp = create_acls_response::decode(rd, 2);
    BOOST_TEST(rd.empty());
    BOOST_TEST(resp.results.size() == 1u);
    BOOST_TEST(resp.results.at(0).error_code == 0);
    BOOST_TEST(!resp.results.at(0).error_message.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
