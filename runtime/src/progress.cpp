#include <kb/runtime/progress.hpp>
#include <kb/runtime/retry.hpp>

#include <fmt/core.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

namespace kb::runtime {

namespace {

// Columns of the terminal `out` writes to, less one (writing the last column
// makes some terminals wrap); 0 when unknown.
std::size_t columns(std::FILE* out) {
    winsize ws{};
    if (::ioctl(::fileno(out), TIOCGWINSZ, &ws) != 0 || ws.ws_col < 2) return 0;
    return ws.ws_col - 1u;
}

}  // namespace

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

std::string format_duration(double seconds) {
    auto s = static_cast<std::uint64_t>(std::max(seconds, 0.0) + 0.5);
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}

std::string fit_to_width(const std::string& line, std::size_t width) {
    if (width == 0 || line.size() <= width) return line;
    if (width < 2) return line.substr(0, width);
    return line.substr(0, width - 1) + "\u2026";
}

namespace {

struct progress_parts {
    std::string bytes, records;
    double fraction = -1;  // done / total, when a total is known
    double eta_seconds = -1;
};

// A byte total: percentage and ETA by bytes.
void by_bytes(const progress_snapshot& s, double rate, progress_parts& p) {
    auto total = *s.total_bytes;
    p.bytes += " of " + format_bytes(double(total));
    p.fraction = std::min<double>(double(s.bytes), double(total)) / double(total);
    if (rate > 0 && s.bytes < total) p.eta_seconds = double(total - s.bytes) / rate;
}

// A record total: percentage and ETA by records, bytes estimated per record.
void by_records(const progress_snapshot& s, double secs, progress_parts& p) {
    auto total = *s.total_records;
    p.records = fmt::format("{} of {} records", s.records, total);
    p.fraction = std::min<double>(double(s.records), double(total)) / double(total);
    if (s.records == 0) return;
    double per_record = double(s.bytes) / double(s.records);
    p.bytes += " of ~" + format_bytes(per_record * double(std::max(total, s.records)));
    double record_rate = double(s.records) / secs;
    if (s.records < total) p.eta_seconds = double(total - s.records) / record_rate;
}

}  // namespace

std::string format_progress(const std::string& label, const progress_snapshot& s) {
    double secs = std::max(s.elapsed.count(), 1e-3);
    double rate = double(s.bytes) / secs;
    progress_parts p{format_bytes(double(s.bytes)), fmt::format("{} records", s.records)};
    if (s.total_bytes && *s.total_bytes > 0)
        by_bytes(s, rate, p);
    else if (s.total_records && *s.total_records > 0)
        by_records(s, secs, p);
    std::string line = fmt::format("{}: {}", label, p.bytes);
    if (p.fraction >= 0) line += fmt::format(" ({:.1f}%)", 100.0 * p.fraction);
    line += fmt::format(", {}, {}/s", p.records, format_bytes(rate));
    if (p.eta_seconds >= 0) line += ", ETA " + format_duration(p.eta_seconds);
    // An outage shows as a stalled rate: say why (the log names what is retried).
    if (s.waiting > 0) line += fmt::format(", waiting: {} retrying", s.waiting);
    if (s.retries > 0) line += fmt::format(", {} retries", s.retries);
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

void progress_reporter::set_total_records(std::uint64_t total) noexcept {
    total_records_ = total;
    has_total_records_ = true;
}

progress_snapshot progress_reporter::snapshot() const {
    progress_snapshot s;
    s.bytes = bytes_.load();
    s.records = records_.load();
    if (has_total_) s.total_bytes = total_.load();
    if (has_total_records_) s.total_records = total_records_.load();
    s.elapsed = std::chrono::steady_clock::now() - start_;
    auto r = retry_counters();
    s.retries = r.retries;
    s.waiting = r.waiting;
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
    // Cut to the terminal's width: a wrapped line could not be redrawn in place.
    if (opts_.tty)
        fmt::print(opts_.out, "\r\033[2K{}{}", fit_to_width(line, columns(opts_.out)),
                   final_line ? "\n" : "");
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
