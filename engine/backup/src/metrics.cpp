// Counters behind /metrics, rendered in the Prometheus text format.
#include "metrics.hpp"

#include <kb/runtime/retry.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::backup {
namespace {

// Label values escape backslash, quote and newline (Prometheus text format).
std::string escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        out += c == '\n' ? 'n' : c;
    }
    return out;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void metrics_registry::fetched(const std::string& topic, std::uint64_t bytes) {
    std::lock_guard lock(mutex_);
    topics_[topic].fetched_bytes += bytes;
}

void metrics_registry::segment_committed(const std::string& topic, std::uint64_t records,
                                         std::uint64_t raw, std::uint64_t stored,
                                         std::chrono::duration<double> upload_time) {
    std::lock_guard lock(mutex_);
    auto& t = topics_[topic];
    t.records += records;
    t.raw_bytes += raw;
    t.stored_bytes += stored;
    t.segments += 1;
    uploads_ += 1;
    upload_seconds_ += upload_time.count();
}

void metrics_registry::error(const std::string& topic) {
    std::lock_guard lock(mutex_);
    topics_[topic].errors += 1;
    errors_ += 1;
}

void metrics_registry::lag(const std::string& topic, std::int32_t partition, std::int64_t lag) {
    std::lock_guard lock(mutex_);
    lag_[{topic, partition}] = lag < 0 ? 0 : lag;
}

void metrics_registry::set_partitions(std::uint64_t n) {
    std::lock_guard lock(mutex_);
    partitions_ = n;
}

std::uint64_t metrics_registry::fetching(int delta) {
    std::lock_guard lock(mutex_);
    if (delta > 0)
        fetching_ += static_cast<std::uint64_t>(delta);
    else
        fetching_ -= std::min(fetching_, static_cast<std::uint64_t>(-delta));
    fetching_peak_ = std::max(fetching_peak_, fetching_);
    return fetching_;
}

std::uint64_t metrics_registry::fetching_peak() const {
    std::lock_guard lock(mutex_);
    return fetching_peak_;
}

std::map<std::string, topic_counters> metrics_registry::topics() const {
    std::lock_guard lock(mutex_);
    return topics_;
}

std::string metrics_registry::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    auto per_topic = [&](const char* name, const char* help, auto field) {
        family(out, name, "counter", help);
        for (auto& [t, c] : topics_)
            out += fmt::format("{}{{topic=\"{}\"}} {}\n", name, escape(t), c.*field);
    };
    per_topic("kafka_backup_records_total", "Records written into committed segments.",
              &topic_counters::records);
    per_topic("kafka_backup_bytes_total", "Record batch bytes written into committed segments.",
              &topic_counters::raw_bytes);
    per_topic("kafka_backup_stored_bytes_total", "Bytes of committed segment objects.",
              &topic_counters::stored_bytes);
    per_topic("kafka_backup_segments_total", "Segments uploaded and published.",
              &topic_counters::segments);
    per_topic("kafka_backup_fetched_bytes_total", "Bytes fetched from Kafka.",
              &topic_counters::fetched_bytes);
    per_topic("kafka_backup_errors_total", "Failures seen per topic.", &topic_counters::errors);
    family(out, "kafka_backup_lag_records", "gauge",
           "High watermark minus the next offset to back up.");
    for (auto& [tp, lag] : lag_)
        out += fmt::format("kafka_backup_lag_records{{topic=\"{}\",partition=\"{}\"}} {}\n",
                           escape(tp.first), tp.second, lag);
    family(out, "kafka_backup_upload_seconds", "summary", "Time to upload one segment.");
    out += fmt::format("kafka_backup_upload_seconds_sum {}\n", upload_seconds_);
    out += fmt::format("kafka_backup_upload_seconds_count {}\n", uploads_);
    family(out, "kafka_backup_partitions", "gauge", "Partitions being backed up.");
    out += fmt::format("kafka_backup_partitions {}\n", partitions_);
    family(out, "kafka_backup_partitions_fetching", "gauge",
           "Partitions fetching a segment now (at most backup.max_concurrent_partitions).");
    out += fmt::format("kafka_backup_partitions_fetching {}\n", fetching_);
    auto r = runtime::retry_counters();
    family(out, "kafka_backup_retries_total", "counter",
           "Retry waits started after transient Kafka or storage failures.");
    out += fmt::format("kafka_backup_retries_total {}\n", r.retries);
    family(out, "kafka_backup_retry_waiting", "gauge",
           "Operations waiting out an outage right now (1 or more: the backup is stalled).");
    out += fmt::format("kafka_backup_retry_waiting {}\n", r.waiting);
    return out;
}

}  // namespace kb::backup
