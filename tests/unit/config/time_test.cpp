// Points in time: epoch milliseconds and RFC 3339.
#include "helpers.hpp"

#include <kb/config/time.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::config;

BOOST_AUTO_TEST_SUITE(time_parsing)

BOOST_AUTO_TEST_CASE(epoch_milliseconds) {
    BOOST_TEST(parse_timestamp_ms("0") == 0);
    BOOST_TEST(parse_timestamp_ms("1736899200000") == 1736899200000);
    BOOST_CHECK_THROW(parse_timestamp_ms("-5"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_timestamp_ms("12x"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_timestamp_ms(""), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(rfc3339_forms) {
    // 2025-01-15T00:00:00Z is 20103 days after the epoch.
    BOOST_TEST(parse_timestamp_ms("2025-01-15T00:00:00Z") == 20103LL * 86400000);
    BOOST_TEST(parse_timestamp_ms("2025-01-15t00:00:00z") == 20103LL * 86400000);
    BOOST_TEST(parse_timestamp_ms("2025-01-15 00:00:00Z") == 20103LL * 86400000);
    BOOST_TEST(parse_timestamp_ms("2025-01-15T02:00:00+02:00") == 20103LL * 86400000);
    BOOST_TEST(parse_timestamp_ms("2025-01-14T19:00:00-05:00") == 20103LL * 86400000);
    BOOST_TEST(parse_timestamp_ms("2025-01-15T00:00:00.250Z") == 20103LL * 86400000 + 250);
    BOOST_TEST(parse_timestamp_ms("2025-01-15T00:00:00.123456789Z") == 20103LL * 86400000 + 123);
    BOOST_TEST(parse_timestamp_ms("2025-01-15") == 20103LL * 86400000);
    BOOST_TEST(parse_timestamp_ms("1970-01-01T00:00:01Z") == 1000);
    BOOST_TEST(parse_timestamp_ms("2024-02-29T12:00:00Z") == 1709208000000);  // leap day
}

BOOST_AUTO_TEST_CASE(rfc3339_rejects) {
    for (const char* bad :
         {"2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "2023-02-29", "2025-01-15T24:00:00Z",
          "2025-01-15T00:00:00", "2025-01-15T00:00Z", "2025-01-15T00:00:00+0200",
          "2025-1-15T00:00:00Z", "2025-01-15T00:00:00.Z", "2025-01-15T00:00:00Zjunk"})
        BOOST_TEST(!try_parse_timestamp_ms(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(format_round_trip) {
    BOOST_TEST(format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
    BOOST_TEST(format_rfc3339_ms(1736899200250) == "2025-01-15T00:00:00.250Z");
    BOOST_TEST(parse_timestamp_ms(format_rfc3339_ms(1709208000123)) == 1709208000123);
}

BOOST_AUTO_TEST_CASE(config_keys_accept_both_forms) {
    config c = parse_yaml(
        "restore:\n  time_window_start: '2025-01-15T00:00:00Z'\n  time_window_end: 1736985600000\n",
        "t.yaml", kbt::no_env());
    BOOST_TEST(*c.restore.time_window_start == 1736899200000);
    BOOST_TEST(*c.restore.time_window_end == 1736985600000);
    auto e = kbt::parse_error("restore:\n  time_window_end: yesterday\n");
    BOOST_TEST(e.key() == "restore.time_window_end");
    BOOST_TEST(std::string(e.what()).find("RFC 3339") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
