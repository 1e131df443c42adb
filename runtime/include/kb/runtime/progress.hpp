#pragma once
// progress_reporter: shows how a long job is going.
//
// On a TTY, one line redrawn in place (bytes, records, rate, and the percentage and
// ETA when a total is known), cut to the terminal's width so it never wraps;
// otherwise a plain log line every `interval` so CI logs stay readable.
//
// The total may be given in bytes (restore knows its segment sizes) or in records
// (a snapshot backup knows its offset ranges, not their size): then the byte total
// is estimated from the bytes per record seen so far and shown with a '~'.
// add() is thread-safe (atomics) so every shard reports into one reporter; a
// background thread does the printing and stops in finish() or the destructor.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace kb::runtime {

struct progress_snapshot {
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;
    std::optional<std::uint64_t> total_bytes;
    std::chrono::duration<double> elapsed{};
    // An upper bound (offsets span control records and compacted holes too).
    std::optional<std::uint64_t> total_records;
    std::uint64_t retries = 0;  // retry waits so far (retry_counters())
    std::uint64_t waiting = 0;  // operations waiting out an outage right now
};

// Renders one progress line; pure, for tests.
std::string format_progress(const std::string& label, const progress_snapshot& s);
std::string format_bytes(double bytes);
// "42s", "3m07s", "2h05m".
std::string format_duration(double seconds);
// `line` cut to `width` columns (with "…" when cut); width 0 means no limit.
std::string fit_to_width(const std::string& line, std::size_t width);

class progress_reporter {
  public:
    struct options {
        std::string label;
        std::optional<std::uint64_t> total_bytes;
        bool tty = false;  // use stderr_is_tty() to decide
        std::chrono::milliseconds interval{1000};
        std::FILE* out = stderr;
    };
    explicit progress_reporter(options o);
    ~progress_reporter();

    void add(std::uint64_t bytes, std::uint64_t records) noexcept;
    void set_total(std::uint64_t total_bytes) noexcept;
    void set_total_records(std::uint64_t total_records) noexcept;
    progress_snapshot snapshot() const;
    void finish();  // prints a final line and stops the thread; idempotent

    static bool stderr_is_tty();

  private:
    void run();
    void print(bool final_line);

    options opts_;
    std::chrono::steady_clock::time_point start_;
    std::atomic<std::uint64_t> bytes_{0}, records_{0}, total_{0}, total_records_{0};
    std::atomic<bool> has_total_{false}, has_total_records_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace kb::runtime
