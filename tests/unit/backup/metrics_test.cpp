// The Prometheus text of metrics_registry, and the lease owner check.
#include "metrics.hpp"
#include "lease.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>

using kb::backup::metrics_registry;

BOOST_AUTO_TEST_CASE(renders_counters_per_topic_and_lag_per_partition) {
    metrics_registry m;
    m.segment_committed("orders", 10, 1000, 400, std::chrono::milliseconds(250));
    m.segment_committed("orders", 5, 500, 200, std::chrono::milliseconds(750));
    m.lag("orders", 2, 42);
    m.lag("pay\"ments", 0, -3);  // negative lag is shown as 0; quotes are escaped
    m.error("orders");
    auto text = m.render();
    BOOST_TEST(text.find("kafka_backup_records_total{topic=\"orders\"} 15\n") != std::string::npos);
    BOOST_TEST(text.find("kafka_backup_bytes_total{topic=\"orders\"} 1500\n") != std::string::npos);
    BOOST_TEST(text.find("kafka_backup_segments_total{topic=\"orders\"} 2\n") != std::string::npos);
    BOOST_TEST(text.find("kafka_backup_errors_total{topic=\"orders\"} 1\n") != std::string::npos);
    BOOST_TEST(text.find("kafka_backup_lag_records{topic=\"orders\",partition=\"2\"} 42\n") !=
               std::string::npos);
    BOOST_TEST(text.find("kafka_backup_lag_records{topic=\"pay\\\"ments\",partition=\"0\"} 0\n") !=
               std::string::npos);
    BOOST_TEST(text.find("kafka_backup_upload_seconds_sum 1\n") != std::string::npos);
    BOOST_TEST(text.find("kafka_backup_upload_seconds_count 2\n") != std::string::npos);
    BOOST_TEST(text.find("# TYPE kafka_backup_records_total counter") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(only_dead_local_owners_are_taken_over) {
    auto me = kb::backup::lease_owner();
    BOOST_TEST(!kb::backup::owner_is_dead(me));  // ourselves
    auto prefix = me.substr(0, me.rfind(' ') + 1);
    BOOST_TEST(!kb::backup::owner_is_dead(prefix + std::to_string(getppid())));  // alive
    BOOST_TEST(kb::backup::owner_is_dead(prefix + "999999999"));                 // no such pid
    BOOST_TEST(!kb::backup::owner_is_dead("kafka-backup@other-host pid 999999999"));
    BOOST_TEST(!kb::backup::owner_is_dead("someone else"));
}
