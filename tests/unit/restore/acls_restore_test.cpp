// acls_to_restore(): the backup's ACLs as restore --restore-acls recreates them.
#include "acls.hpp"

#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

namespace sf = kb::storage::format;

namespace {
sf::acl_entry topic_acl(std::string name, std::string pattern = "literal") {
    return {"topic", std::move(name), std::move(pattern), "User:alice", "*", "read", "allow"};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(restore_acls)

BOOST_AUTO_TEST_CASE(literal_topic_acls_follow_the_renames_and_the_selection) {
    sf::manifest m;
    m.backup_id = "b";
    m.acls = std::vector<sf::acl_entry>{
        topic_acl("orders"),
        topic_acl("payments"),
        topic_acl("*"),
        topic_acl("ord", "prefixed"),
        {"group", "app", "literal", "User:alice", "*", "read", "allow"},
        {"cluster", "kafka-cluster", "literal", "User:ops", "*", "describe", "allow"}};
    kb::restore::restore_plan plan;
    plan.topics.push_back({"orders", "orders-restored"});  // payments is left out
    auto out = kb::restore::detail::acls_to_restore(m, plan);
    std::vector<std::string> names;
    for (const auto& a : out) names.push_back(a.resource_name);
    BOOST_TEST(
        names == (std::vector<std::string>{"orders-restored", "*", "ord", "app", "kafka-cluster"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_backup_without_acls_or_with_an_unknown_name_is_refused) {
    sf::manifest m;
    m.backup_id = "b";
    kb::restore::restore_plan plan;
    plan.topics.push_back({"orders", "orders"});
    BOOST_CHECK_THROW(kb::restore::detail::acls_to_restore(m, plan), kb::error);
    m.acls = std::vector<sf::acl_entry>{
        {"topic", "orders", "literal", "User:alice", "*", "fly", "allow"}};
    BOOST_CHECK_THROW(kb::restore::detail::acls_to_restore(m, plan), kb::error);
    m.acls->front().operation = "read";
    auto b = kb::restore::detail::to_binding(m.acls->front());
    BOOST_TEST(b.resource_type == 2);
    BOOST_TEST(b.pattern_type == 3);
    BOOST_TEST(b.operation == 3);
    BOOST_TEST(b.permission == 3);
}

BOOST_AUTO_TEST_SUITE_END()
