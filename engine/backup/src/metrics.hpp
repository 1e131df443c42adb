#pragma once
// metrics_registry: the numbers a running backup exposes (Prometheus text on
// /metrics) and sums up at the end. Updated from every shard, so every method
// takes one mutex; updates happen per fetch and per segment, not per record.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace kb::backup {

struct topic_counters {
    std::uint64_t records = 0;
    std::uint64_t raw_bytes = 0;     // batches committed in segments
    std::uint64_t stored_bytes = 0;  // segment objects
    std::uint64_t segments = 0;
    std::uint64_t fetched_bytes = 0;
    std::uint64_t errors = 0;
};

class metrics_registry {
  public:
    void fetched(const std::string& topic, std::uint64_t bytes);
    void segment_committed(const std::string& topic, std::uint64_t records, std::uint64_t raw,
                           std::uint64_t stored, std::chrono::duration<double> upload_time);
    void error(const std::string& topic);
    // Lag of a partition: its high watermark minus the next offset to back up.
    void lag(const std::string& topic, std::int32_t partition, std::int64_t lag);
    void set_partitions(std::uint64_t n);
    // A partition started (+1) or ended (-1) fetching a segment; returns how many
    // fetch now (backup.max_concurrent_partitions caps it).
    std::uint64_t fetching(int delta);
    std::uint64_t fetching_peak() const;

    std::map<std::string, topic_counters> topics() const;
    // The Prometheus text exposition (version 0.0.4).
    std::string render() const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, topic_counters> topics_;
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> lag_;
    std::uint64_t partitions_ = 0;
    std::uint64_t fetching_ = 0, fetching_peak_ = 0;
    std::uint64_t uploads_ = 0;
    double upload_seconds_ = 0;
    std::uint64_t errors_ = 0;
};

}  // namespace kb::backup
