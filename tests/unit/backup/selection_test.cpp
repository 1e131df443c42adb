// selected(): backup.internal_topics selects internal topics by name beside
// source.topics; include_internal_topics selects those the patterns match.
#include "selection.hpp"

#include <kb/config/topic_selector.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>

using kb::backup::backup_settings;
using kb::config::topic_selection;

namespace {
backup_settings settings(topic_selection topics, std::vector<std::string> internal,
                         bool include_internal = false) {
    backup_settings s;
    s.include_internal = include_internal;
    s.topics = kb::config::topic_selector(topics, include_internal);
    s.literal_topics = s.topics.literal_includes();
    s.options.internal_topics = std::move(internal);
    return s;
}
bool selects(const backup_settings& s, std::string_view t) {
    return kb::backup::selected(s, t);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(backup_topic_selection)

BOOST_AUTO_TEST_CASE(internal_topics_are_left_out_unless_asked_for) {
    auto plain = settings({{"orders-*"}, {}}, {});
    BOOST_TEST(selects(plain, "orders-1"));
    BOOST_TEST(!selects(plain, "__consumer_offsets"));
    BOOST_TEST(!kb::backup::lists_internal(plain));
    BOOST_TEST(!selects(settings({{}, {}}, {}), "__consumer_offsets"));
    BOOST_TEST(!selects(settings({{"*"}, {}}, {}), "__transaction_state"));
    // include_internal_topics: true selects internal topics the patterns match.
    auto all = settings({{"*"}, {}}, {}, true);
    BOOST_TEST(selects(all, "__transaction_state"));
    BOOST_TEST(kb::backup::lists_internal(all));
}

BOOST_AUTO_TEST_CASE(internal_topics_by_name_join_the_selection) {
    auto s = settings({{"orders-*"}, {}}, {"__consumer_offsets"});
    BOOST_TEST(selects(s, "orders-1"));
    BOOST_TEST(selects(s, "__consumer_offsets"));
    BOOST_TEST(!selects(s, "__transaction_state"));
    BOOST_TEST(!selects(s, "payments"));
    BOOST_TEST(kb::backup::lists_internal(s));
    auto must = kb::backup::required_topics(s);  // a named topic must exist
    BOOST_TEST((std::find(must.begin(), must.end(), "__consumer_offsets") != must.end()));
}

BOOST_AUTO_TEST_CASE(naming_wins_over_an_exclude_pattern) {
    auto s = settings({{"*"}, {"__*"}}, {"__consumer_offsets"});
    BOOST_TEST(selects(s, "__consumer_offsets"));
    BOOST_TEST(!selects(s, "__transaction_state"));
    BOOST_TEST(selects(s, "payments"));
}

BOOST_AUTO_TEST_SUITE_END()
