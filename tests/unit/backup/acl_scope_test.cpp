// acl_in_scope(): which of the cluster's ACLs a backup keeps (backup.acls), and the
// names they are kept under.
#include "acl_capture.hpp"

#include <boost/test/unit_test.hpp>

using kb::backup::acl_in_scope;
using kb::backup::acl_scope;
using kb::kafka::client::acl_binding;

namespace {
acl_binding acl(std::int8_t type, std::string name, std::int8_t pattern = 3) {
    return {type, std::move(name), pattern, "User:alice", "*", 3, 3};
}
constexpr std::int8_t topic = 2, group = 3, cluster = 4, txn = 5;
constexpr std::int8_t prefixed = 4;
}  // namespace

BOOST_AUTO_TEST_SUITE(backup_acl_scope)

BOOST_AUTO_TEST_CASE(topic_acls_on_selected_topics_wildcards_and_matching_prefixes) {
    acl_scope s{{"orders", "payments"}, {}, false};
    BOOST_TEST(acl_in_scope(acl(topic, "orders"), s));
    BOOST_TEST(acl_in_scope(acl(topic, "*"), s));
    BOOST_TEST(acl_in_scope(acl(topic, "ord", prefixed), s));
    BOOST_TEST(!acl_in_scope(acl(topic, "other"), s));
    BOOST_TEST(!acl_in_scope(acl(topic, "orders-eu", prefixed), s));  // prefix longer than "orders"
    BOOST_TEST(!acl_in_scope(acl(topic, "ord"), s));  // literal "ord" is another topic
}

BOOST_AUTO_TEST_CASE(group_acls_follow_the_group_globs) {
    BOOST_TEST(acl_in_scope(acl(group, "anything"), acl_scope{{"t"}, {}, false}));
    acl_scope apps{{"t"}, {"app-*"}, false};
    BOOST_TEST(acl_in_scope(acl(group, "app-1"), apps));
    BOOST_TEST(!acl_in_scope(acl(group, "batch"), apps));
    BOOST_TEST(acl_in_scope(acl(group, "app-", prefixed), apps));
}

BOOST_AUTO_TEST_CASE(cluster_and_transactional_acls_only_when_asked) {
    BOOST_TEST(!acl_in_scope(acl(cluster, "kafka-cluster"), acl_scope{{"t"}, {}, false}));
    BOOST_TEST(!acl_in_scope(acl(txn, "tx-1"), acl_scope{{"t"}, {}, false}));
    BOOST_TEST(acl_in_scope(acl(cluster, "kafka-cluster"), acl_scope{{"t"}, {}, true}));
    BOOST_TEST(acl_in_scope(acl(txn, "tx-1"), acl_scope{{"t"}, {}, true}));
}

BOOST_AUTO_TEST_CASE(entries_use_kafka_acls_names) {
    auto e = kb::backup::to_entry({topic, "orders", prefixed, "User:bob", "10.0.0.1", 10, 2});
    BOOST_TEST(e.resource_type == "topic");
    BOOST_TEST(e.pattern_type == "prefixed");
    BOOST_TEST(e.operation == "describe_configs");
    BOOST_TEST(e.permission == "deny");
    BOOST_TEST(e.principal == "User:bob");
    BOOST_TEST(e.host == "10.0.0.1");
}

BOOST_AUTO_TEST_SUITE_END()
