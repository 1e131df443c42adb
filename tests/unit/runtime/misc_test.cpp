#include <kb/runtime/buffer.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/progress.hpp>
#include <kb/runtime/units.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>

using namespace kb::runtime;

BOOST_AUTO_TEST_SUITE(misc_suite)

BOOST_AUTO_TEST_CASE(sizes_parse) {
    BOOST_TEST(parse_bytes("1048576") == 1048576u);
    BOOST_TEST(parse_bytes("512MiB") == 512ull << 20);
    BOOST_TEST(parse_bytes("10MB") == 10'000'000u);
    BOOST_TEST(parse_bytes("1.5GiB") == 3ull << 29);
    BOOST_CHECK_THROW(parse_bytes("lots"), std::invalid_argument);
    BOOST_CHECK_THROW(parse_bytes("5 parsecs"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(durations_parse) {
    BOOST_TEST(parse_duration("30d").count() == 30LL * 86400 * 1000);
    BOOST_TEST(parse_duration("500ms").count() == 500);
    BOOST_TEST(parse_duration("12h").count() == 12LL * 3600 * 1000);
    BOOST_CHECK_THROW(parse_duration("soon"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(slices_share_ownership_and_its_permit) {
    auto budget = byte_budget::make("buffers", 1000);
    shared_buffer slice;
    {
        std::vector<std::byte> bytes(100, std::byte{0x5a});
        bytes[10] = std::byte{1};
        auto whole = shared_buffer::adopt(std::move(bytes), *budget->try_acquire(100));
        slice = whole.slice(10, 5);
    }
    BOOST_TEST(slice.size() == 5u);
    BOOST_TEST((slice.bytes()[0] == std::byte{1}));
    BOOST_TEST(budget->available() == 900u);  // the slice keeps the memory (and permit) alive
    slice = {};
    BOOST_TEST(budget->available() == 1000u);
    BOOST_CHECK_THROW(shared_buffer::copy_of("abc").slice(2, 2), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(progress_line_shows_rate_and_eta) {
    progress_snapshot s{.bytes = 50 << 20,
                        .records = 10,
                        .total_bytes = 100 << 20,
                        .elapsed = std::chrono::seconds(5)};
    auto line = format_progress("backup", s);
    BOOST_TEST(line.find("50.0 MiB") != std::string::npos);
    BOOST_TEST(line.find("10 records") != std::string::npos);
    BOOST_TEST(line.find("10.0 MiB/s") != std::string::npos);
    BOOST_TEST(line.find("50.0%") != std::string::npos);
    BOOST_TEST(line.find("ETA 5s") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(progress_reporter_prints_plain_lines_when_not_a_tty) {
    std::FILE* out = std::tmpfile();
    {
        progress_reporter r({.label = "restore",
                             .total_bytes = std::nullopt,
                             .tty = false,
                             .interval = std::chrono::milliseconds(10),
                             .out = out});
        r.add(1024, 3);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        r.finish();
    }
    std::rewind(out);
    char buf[4096] = {};
    auto n = std::fread(buf, 1, sizeof buf - 1, out);
    std::fclose(out);
    std::string text(buf, n);
    BOOST_TEST(text.find("restore: 1.0 KiB, 3 records") != std::string::npos);
    BOOST_TEST(text.find('\r') == std::string::npos);  // no in-place redraws in logs
}

// A socket error thrown by Asio carries its source location in what() (a header
// path and a template signature): error lines show only what happened.
BOOST_AUTO_TEST_CASE(describe_leaves_out_boost_source_locations) {
    static constexpr boost::source_location here = BOOST_CURRENT_LOCATION;
    boost::system::error_code ec(boost::asio::error::connection_reset, &here);
    auto e = std::make_exception_ptr(boost::system::system_error(ec));
    BOOST_TEST(kb::describe(e) == ec.message());
    BOOST_TEST(kb::describe(e).find("misc_test.cpp") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
