// Consumer-group operations against the real broker (the interop script covers the
// Java consumer's side: its commits, its --describe, a running member).
#include "support.hpp"

#include <kb/kafka/client/admin.hpp>
#include <kb/kafka/client/groups.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace kbtest;
namespace asio = boost::asio;

namespace {

asio::awaitable<void> make_topic(kc::cluster& c, std::string name) {
    kc::new_topic t;
    t.name = name;
    t.partitions = 3;
    std::vector<kc::new_topic> topics;
    topics.push_back(std::move(t));
    co_await kc::create_topics(c, std::move(topics));
}

kc::group_offset offset(const std::string& topic, int partition, std::int64_t value) {
    kc::group_offset o;
    o.topic = topic;
    o.partition = partition;
    o.offset = value;
    o.metadata = "kb-test";
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(groups)

BOOST_AUTO_TEST_CASE(commit_fetch_list_describe_for_a_group_without_members) {
    kafka k;
    const auto topic = unique_name("kb-groups");
    const auto group = unique_name("kb-group");
    k(make_topic(*k.cluster, topic));

    // Nothing committed yet: no offsets, and the group is not described as active.
    BOOST_TEST(k(kc::fetch_group_offsets(*k.cluster, group)).empty());

    k(kc::commit_group_offsets(*k.cluster, group, {offset(topic, 0, 5), offset(topic, 2, 9)}));
    auto got = k(kc::fetch_group_offsets(*k.cluster, group));
    BOOST_REQUIRE_EQUAL(got.size(), 2u);
    BOOST_TEST(got[0].topic == topic);
    BOOST_TEST(got[0].partition == 0);
    BOOST_TEST(got[0].offset == 5);
    BOOST_TEST(got[0].metadata.value_or("") == "kb-test");
    BOOST_TEST(got[1].partition == 2);
    BOOST_TEST(got[1].offset == 9);

    // Asking for the topic explicitly gives the same committed partitions.
    auto by_topic = k(kc::fetch_group_offsets(*k.cluster, group, {topic}));
    BOOST_TEST(by_topic.size() == 2u);

    // Committing again moves them (a restore resets offsets this way).
    k(kc::commit_group_offsets(*k.cluster, group, {offset(topic, 0, 1)}));
    BOOST_TEST(k(kc::fetch_group_offsets(*k.cluster, group)).front().offset == 1);

    auto groups = k(kc::list_groups(*k.cluster));
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const kc::group_listing& g) { return g.group_id == group; });
    BOOST_REQUIRE(it != groups.end());

    auto described = k(kc::describe_groups(*k.cluster, {group}));
    BOOST_REQUIRE_EQUAL(described.size(), 1u);
    BOOST_TEST(described[0].group_id == group);
    BOOST_TEST(described[0].members.empty());
    BOOST_TEST(described[0].state == "Empty");
    k(kc::delete_topics(*k.cluster, {topic}));
}

BOOST_AUTO_TEST_SUITE_END()
