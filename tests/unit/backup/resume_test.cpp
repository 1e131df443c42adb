// resume_offset(): a partition continues after its last segment or retention gap.
#include "coordinator.hpp"

#include <boost/test/unit_test.hpp>

namespace sf = kb::storage::format;

namespace {
sf::manifest manifest_with(std::vector<sf::segment_ref> segs, std::vector<sf::retention_gap> gaps) {
    sf::manifest m;
    sf::topic_manifest t;
    t.name = "orders";
    t.partition_count = 2;
    sf::partition_manifest p;
    p.partition = 1;
    p.segments = std::move(segs);
    p.retention_gaps = std::move(gaps);
    t.partitions.push_back(p);
    t.empty_partitions.push_back(0);
    m.topics.push_back(t);
    return m;
}
sf::segment_ref seg(std::int64_t first, std::int64_t last) {
    sf::segment_ref s;
    s.first_offset = first;
    s.last_offset = last;
    return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(after_the_last_segment) {
    auto m = manifest_with({seg(0, 99), seg(100, 249)}, {});
    BOOST_TEST(kb::backup::resume_offset(m, "orders", 1).value() == 250);
}

BOOST_AUTO_TEST_CASE(after_a_trailing_gap) {
    auto m = manifest_with({seg(0, 99)}, {{100, 499, "retention"}});
    BOOST_TEST(kb::backup::resume_offset(m, "orders", 1).value() == 500);
}

BOOST_AUTO_TEST_CASE(nothing_for_unknown_or_empty_partitions) {
    auto m = manifest_with({}, {});
    BOOST_TEST(!kb::backup::resume_offset(m, "orders", 1).has_value());
    BOOST_TEST(!kb::backup::resume_offset(m, "orders", 0).has_value());
    BOOST_TEST(!kb::backup::resume_offset(m, "payments", 1).has_value());
}
