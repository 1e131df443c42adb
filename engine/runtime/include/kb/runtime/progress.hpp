#pragma once
// progress_reporter: shows how a long job is going.
//
// On a TTY, one line redrawn in place (bytes, records, rate, ETA when the total is
// known); otherwise a plain log line every `interval` so CI logs stay readable.
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
};

// Renders one progress line; pure, for tests.
std::string format_progress(const std::string& label, const progress_snapshot& s);
std::string format_bytes(double bytes);

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
    progress_snapshot snapshot() const;
    void finish();  // prints a final line and stops the thread; idempotent

    static bool stderr_is_tty();

private:
    void run();
    void print(bool final_line);

    options opts_;
    std::chrono::steady_clock::time_point start_;
    std::atomic<std::uint64_t> bytes_{0}, records_{0}, total_{0};
    std::atomic<bool> has_total_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace kb::runtime
