// Overflow-safe unit parsing and the echo of user values in messages.
#include <kb/runtime/echo.hpp>
#include <kb/runtime/units.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace kb::runtime;

BOOST_AUTO_TEST_SUITE(echo_suite)

BOOST_AUTO_TEST_CASE(huge_sizes_are_too_large_not_wrapped) {
    // 1e26 used to wrap to a small number ("must be at least 1 KiB").
    BOOST_CHECK_THROW(parse_bytes("99999999999999999999999999"), std::out_of_range);
    BOOST_CHECK_THROW(parse_bytes("18446744073709551615"), std::out_of_range);
    BOOST_CHECK_THROW(parse_bytes("9000000TiB"), std::out_of_range);
    BOOST_CHECK_THROW(parse_bytes("1e400"), std::invalid_argument);  // 'e400' is no unit
    BOOST_CHECK_THROW(parse_bytes(std::string(400, '9') + ".5"), std::out_of_range);
    BOOST_TEST(parse_bytes("9223372036854775807") == 9223372036854775807ull);
    BOOST_TEST(parse_bytes("8388607TiB") == 8388607ull << 40);
    try {
        parse_bytes("99999999999999999999999999");
    } catch (const std::out_of_range& e) {
        BOOST_TEST(std::string(e.what()).find("too large") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(huge_durations_are_too_large) {
    BOOST_CHECK_THROW(parse_duration("99999999999999999999w"), std::out_of_range);
    BOOST_CHECK_THROW(parse_duration("20000000000000w"), std::out_of_range);
    BOOST_TEST(parse_duration("1.5s").count() == 1500);
}

BOOST_AUTO_TEST_CASE(echo_keeps_short_values_whole) {
    BOOST_TEST(echo("orders") == "'orders'");
    BOOST_TEST(echo("") == "''");
}

BOOST_AUTO_TEST_CASE(echo_cuts_long_values_and_says_how_long) {
    std::string big(10 << 20, 'x');
    auto shown = echo(big);
    BOOST_TEST(shown.size() < 140u);
    BOOST_TEST(shown.find("\u2026") != std::string::npos);
    BOOST_TEST(shown.find("(10485760 bytes)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(echo_escapes_control_characters) {
    BOOST_TEST(echo("a\nb\tc\x01") == "'a\\nb\\tc\\x01'");
}

BOOST_AUTO_TEST_CASE(echo_never_splits_a_utf8_character) {
    std::string s = std::string(99, 'a') + "\u00e9\u00e9";  // é is 2 bytes: bytes 99..100
    auto shown = echo(s);
    BOOST_TEST(shown == "'" + std::string(99, 'a') + "\u2026' (103 bytes)");
}

BOOST_AUTO_TEST_CASE(userinfo_is_detected) {
    BOOST_TEST(has_userinfo("s3://KEY:SECRET@bucket/prefix"));
    BOOST_TEST(has_userinfo("http://user@127.0.0.1:9000"));
    BOOST_TEST(!has_userinfo("s3://bucket/prefix?endpoint=http://127.0.0.1:9000"));
    BOOST_TEST(!has_userinfo("s3://bucket/a@b"));  // '@' in the key, not the authority
    BOOST_TEST(!has_userinfo("/var/backups"));
}

BOOST_AUTO_TEST_SUITE_END()
