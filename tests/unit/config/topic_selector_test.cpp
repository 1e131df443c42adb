// Topic selection: globs, ~regex, excludes and internal topics.
#include "helpers.hpp"

#include <kb/config/topic_selector.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::config;

BOOST_AUTO_TEST_SUITE(topic_selection_tests)

BOOST_AUTO_TEST_CASE(glob_matching) {
    BOOST_TEST(glob_match("*", "anything"));
    BOOST_TEST(glob_match("*", ""));
    BOOST_TEST(glob_match("orders-*", "orders-eu"));
    BOOST_TEST(glob_match("orders-*", "orders-"));
    BOOST_TEST(!glob_match("orders-*", "orders"));
    BOOST_TEST(glob_match("*-events", "user-events"));
    BOOST_TEST(glob_match("orders-*-v2", "orders-us-v2"));
    BOOST_TEST(!glob_match("orders-*-v2", "orders-us-v3"));
    BOOST_TEST(glob_match("a*b*c", "a-x-b-y-b-c"));  // needs backtracking
    BOOST_TEST(glob_match("t?pic", "topic"));
    BOOST_TEST(!glob_match("t?pic", "tpic"));
    BOOST_TEST(glob_match("p[0-9]", "p7"));
    BOOST_TEST(!glob_match("p[0-9]", "px"));
    BOOST_TEST(glob_match("p[!0-9]", "px"));
    BOOST_TEST(glob_match("p[ab]x", "pbx"));
    BOOST_TEST(glob_match("p[", "p["));  // an unclosed class is literal
    BOOST_TEST(!glob_match("orders", "orders2"));
}

BOOST_AUTO_TEST_CASE(include_exclude_and_regex) {
    topic_selector s(
        topic_selection{{"orders", "payments-*", "~^events-v[0-9]+$"}, {"*-scratch", "~.*-tmp"}});
    BOOST_TEST(s.matches("orders"));
    BOOST_TEST(!s.matches("orders2"));
    BOOST_TEST(s.matches("payments-eu"));
    BOOST_TEST(!s.matches("payments-scratch"));  // excluded by glob
    BOOST_TEST(!s.matches("payments-x-tmp"));    // excluded by regex
    BOOST_TEST(s.matches("events-v12"));
    BOOST_TEST(!s.matches("events-v12b"));  // regex must match the whole name
    BOOST_TEST(!s.matches("audit"));
    BOOST_TEST((s.literal_includes() == std::vector<std::string>{"orders"}));
    auto picked = s.filter({"audit", "orders", "payments-us", "events-v1", "payments-scratch"});
    BOOST_TEST((picked == std::vector<std::string>{"orders", "payments-us", "events-v1"}));
}

BOOST_AUTO_TEST_CASE(empty_include_selects_all_but_internal) {
    topic_selector all;
    BOOST_TEST(all.matches("orders"));
    BOOST_TEST(!all.matches("__consumer_offsets"));
    topic_selector with_internal(topic_selection{}, true);
    BOOST_TEST(with_internal.matches("__consumer_offsets"));
    topic_selector named(topic_selection{{"__transaction_state", "*"}, {}});
    BOOST_TEST(named.matches("__transaction_state"));  // named literally
    BOOST_TEST(!named.matches("__consumer_offsets"));  // only matched by '*'
}

BOOST_AUTO_TEST_CASE(bad_regex_names_the_key) {
    auto e = kbt::error_of([] {
        topic_selector(topic_selection{{"~([a-z"}, {}}, false, "source.topics");
    });
    BOOST_TEST(e.key() == "source.topics.include");
    BOOST_TEST(std::string(e.what()).find("~([a-z") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(literal_patterns) {
    BOOST_TEST(is_literal_pattern("orders"));
    BOOST_TEST(!is_literal_pattern("orders-*"));
    BOOST_TEST(!is_literal_pattern("~orders"));
    BOOST_TEST(!is_literal_pattern("t?"));
}

BOOST_AUTO_TEST_SUITE_END()
