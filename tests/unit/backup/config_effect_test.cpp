// The backup keys of the OSO example config reach the engine and change what it
// does (issue 13.3: they used to parse and do nothing). The same file is parsed
// in tests/unit/config/parse_examples_test.cpp; the end-to-end effect against a
// broker is tests/integration/backup/config_keys_test.sh.
#include "coordinator.hpp"
#include "job_state.hpp"
#include "segment_limits.hpp"
#include "selection.hpp"

#include <kb/config/load.hpp>
#include <kb/config/topic_selector.hpp>

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

namespace {

kb::config::config every_key() {
    auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    kb::config::env_lookup env = no_env;
    return kb::config::load_file(std::string(KB_CONFIG_TEST_DATA) + "/oso-every-key.yaml", env);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config_effect)

BOOST_AUTO_TEST_CASE(internal_topics_select_consumer_offsets) {
    auto c = every_key();  // include "*", exclude "__*", internal_topics [__consumer_offsets]
    kb::backup::backup_settings s;
    s.topics = kb::config::topic_selector(c.source->topics);
    s.options = c.backup;
    BOOST_TEST(kb::backup::selected(s, "__consumer_offsets"));
    BOOST_TEST(!kb::backup::selected(s, "__transaction_state"));
    s.options.internal_topics.clear();
    BOOST_TEST(!kb::backup::selected(s, "__consumer_offsets"));
}

BOOST_AUTO_TEST_CASE(max_concurrent_partitions_sizes_the_fetch_slots) {
    auto c = every_key();
    kb::backup::backup_settings s;
    s.backup_id = "effect";
    s.options = c.backup;
    kb::backup::backup_job::state st(s);
    BOOST_TEST(st.fetch_slots->capacity() == c.backup.max_concurrent_partitions);
    BOOST_TEST(st.fetch_slots->capacity() == 8u);
}

BOOST_AUTO_TEST_CASE(segment_max_records_rolls_segments) {
    auto c = every_key();
    BOOST_REQUIRE(c.backup.segment_max_records.has_value());
    kb::backup::segment_limits l;
    l.max_bytes = c.backup.segment_max_bytes;
    l.max_records = c.backup.segment_max_records;
    kb::backup::segment_fill_state full{0, 1, *c.backup.segment_max_records};
    BOOST_TEST(kb::backup::limits_reached(l, full));
    kb::kafka::protocol::batch_header one;
    one.record_count = 1;
    one.base_offset = 5;
    BOOST_TEST((kb::backup::decide(l, full, one) == kb::backup::batch_decision::roll));
}

BOOST_AUTO_TEST_SUITE_END()
