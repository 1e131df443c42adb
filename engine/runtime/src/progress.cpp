#include <kb/runtime/progress.hpp>

#include <fmt/core.h>
#include <unistd.h>

namespace kb::runtime {

std::string format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    return u == 0 ? fmt::format("{:.0f} {}", bytes, units[u])
                  : fmt::format("{:.1f} {}", bytes, units[u]);
}

std::string format_progress(const std::string& label, const progress_snapshot& s) {
    double secs = std::max(s.elapsed.count(), 1e-3);
    double rate = s.bytes / secs;
    std::string line = fmt::format("{}: {} , {} records, {}/s", label, format_bytes(s.bytes),
                                   s.records, format_bytes(rate));
    if (s.total_bytes && *s.total_bytes > 0) {
        double pct = 100.0 * std::min<double>(s.bytes, *s.total_bytes) / *s.total_bytes;
        line += fmt::format(", {:.1f}% of {}", pct, format_bytes(*s.total_bytes));
        if (rate > 0 && s.bytes < *s.total_bytes)
            line += fmt::format(", ETA {:.0f}s", (*s.total_bytes - s.bytes) / rate);
    }
    return line;
}

progress_reporter::progress_reporter(options o)
    : opts_(std::move(o)), start_(std::chrono::steady_clock::now()) {
    if (opts_.total_bytes) set_total(*opts_.total_bytes);
    thread_ = std::thread([this] { run(); });
}

progress_reporter::~progress_reporter() {
    finish();
}

void progress_reporter::add(std::uint64_t bytes, std::uint64_t records) noexcept {
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
    records_.fetch_add(records, std::memory_order_relaxed);
}

void progress_reporter::set_total(std::uint64_t total) noexcept {
    total_ = total;
    has_total_ = true;
}

progress_snapshot progress_reporter::snapshot() const {
    progress_snapshot s;
    s.bytes = bytes_.load();
    s.records = records_.load();
    if (has_total_) s.total_bytes = total_.load();
    s.elapsed = std::chrono::steady_clock::now() - start_;
    return s;
}

bool progress_reporter::stderr_is_tty() {
    return ::isatty(STDERR_FILENO) == 1;
}

void progress_reporter::run() {
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, opts_.interval, [this] { return done_; })) print(false);
}

void progress_reporter::print(bool final_line) {
    auto line = format_progress(opts_.label, snapshot());
    if (opts_.tty)
        fmt::print(opts_.out, "\r\033[2K{}{}", line, final_line ? "\n" : "");
    else
        fmt::print(opts_.out, "{}\n", line);
    std::fflush(opts_.out);
}

void progress_reporter::finish() {
    {
        std::lock_guard lock(mutex_);
        if (done_) return;
        done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    print(true);
}

}  // namespace kb::runtime
