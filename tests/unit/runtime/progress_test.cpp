// The progress line: totals by bytes (restore) or by records (snapshot backup,
// bytes estimated), ETA formatting, width limit, and one redrawn line on a TTY.
#include <kb/runtime/progress.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdio>
#include <thread>

using namespace kb::runtime;

namespace {

bool has(const std::string& line, const std::string& part) {
    BOOST_TEST_MESSAGE(line);
    return line.find(part) != std::string::npos;
}

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string text;
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, f)) text.append(buf, n);
    return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(progress_suite)

BOOST_AUTO_TEST_CASE(snapshot_backup_estimates_total_bytes_from_records) {
    progress_snapshot s{.bytes = 30 << 20,
                        .records = 300,
                        .elapsed = std::chrono::seconds(10),
                        .total_records = 1000};
    auto line = format_progress("backup b1", s);
    BOOST_TEST(line ==
               "backup b1: 30.0 MiB of ~100.0 MiB (30.0%), 300 of 1000 records, "
               "3.0 MiB/s, ETA 23s");
}

BOOST_AUTO_TEST_CASE(no_estimate_and_no_eta_before_the_first_record) {
    progress_snapshot s{.elapsed = std::chrono::seconds(2), .total_records = 1000};
    auto line = format_progress("backup b1", s);
    BOOST_TEST(line == "backup b1: 0 B (0.0%), 0 of 1000 records, 0 B/s");
}

BOOST_AUTO_TEST_CASE(finished_snapshot_shows_full_and_no_eta) {
    progress_snapshot s{
        .bytes = 4096, .records = 8, .elapsed = std::chrono::seconds(1), .total_records = 8};
    auto line = format_progress("backup b1", s);
    BOOST_TEST(has(line, "4.0 KiB of ~4.0 KiB (100.0%)"));
    BOOST_TEST(!has(line, "ETA"));
}

BOOST_AUTO_TEST_CASE(byte_total_wins_over_record_total) {
    progress_snapshot s{.bytes = 50 << 20,
                        .records = 10,
                        .total_bytes = 200 << 20,
                        .elapsed = std::chrono::seconds(5),
                        .total_records = 1000};
    auto line = format_progress("restore", s);
    BOOST_TEST(line == "restore: 50.0 MiB of 200.0 MiB (25.0%), 10 records, 10.0 MiB/s, ETA 15s");
}

BOOST_AUTO_TEST_CASE(continuous_mode_has_no_total) {
    progress_snapshot s{.bytes = 3 << 20, .records = 7, .elapsed = std::chrono::seconds(3)};
    BOOST_TEST(format_progress("backup c", s) == "backup c: 3.0 MiB, 7 records, 1.0 MiB/s");
}

BOOST_AUTO_TEST_CASE(durations_read_as_seconds_minutes_hours) {
    BOOST_TEST(format_duration(4.6) == "5s");
    BOOST_TEST(format_duration(187) == "3m07s");
    BOOST_TEST(format_duration(7500) == "2h05m");
    BOOST_TEST(format_duration(-3) == "0s");
}

BOOST_AUTO_TEST_CASE(long_lines_are_cut_to_the_terminal_width) {
    std::string line(100, 'x');
    auto cut = fit_to_width(line, 40);
    BOOST_TEST(cut == std::string(39, 'x') + "\u2026");  // 40 columns
    BOOST_TEST(fit_to_width("short", 40) == "short");
    BOOST_TEST(fit_to_width(line, 0) == line);
}

BOOST_AUTO_TEST_CASE(tty_mode_redraws_one_line_and_ends_it_once) {
    std::FILE* out = std::tmpfile();
    {
        progress_reporter r({.label = "backup t",
                             .tty = true,
                             .interval = std::chrono::milliseconds(5),
                             .out = out});
        r.set_total_records(10);
        r.add(1024, 5);
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
        r.add(1024, 5);
        r.finish();
    }
    auto text = read_all(out);
    std::fclose(out);
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);  // only after the final draw
    BOOST_TEST(text.back() == '\n');
    BOOST_TEST(std::count(text.begin(), text.end(), '\r') >= 2);  // redrawn in place
    BOOST_TEST(has(text, "\r\033[2Kbackup t: 2.0 KiB of ~2.0 KiB (100.0%), 10 of 10 records"));
}

BOOST_AUTO_TEST_SUITE_END()
