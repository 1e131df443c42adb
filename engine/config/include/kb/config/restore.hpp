#pragma once
// `restore:` options (OSO kafka-backup schema, plus topic config overrides,
// per-partition offset ranges and a force switch for active groups).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::config {

enum class offset_strategy { skip, header_based, timestamp_based, cluster_scan, manual };
enum class repartition_strategy { murmur2, automatic };

struct repartitioning {
    repartition_strategy strategy = repartition_strategy::murmur2;
    std::int32_t target_partitions = 0;
};

// [start_offset, end_offset) of the source partition; either end may be open.
struct offset_range {
    std::optional<std::int64_t> start_offset;
    std::optional<std::int64_t> end_offset;
};

struct restore_options {
    // Point in time, epoch milliseconds (the YAML may say RFC 3339).
    std::optional<std::int64_t> time_window_start;
    std::optional<std::int64_t> time_window_end;
    std::optional<std::vector<std::int32_t>> source_partitions;
    std::map<std::int32_t, std::int32_t> partition_mapping;
    std::map<std::string, std::string> topic_mapping;
    std::map<std::string, repartitioning> repartition;  // key: repartitioning (target topic)
    std::map<std::string, std::map<std::int32_t, offset_range>> offset_ranges;  // ours
    offset_strategy consumer_group_strategy = offset_strategy::skip;
    // OSO's restore headers (x-original-offset, x-original-timestamp,
    // x-source-partition) appended to every restored record; also implied by
    // consumer_group_strategy: header-based, as in OSO.
    bool include_original_offset_header = false;
    // OSO 0.25: drop OSO's own headers (x-original-offset, x-original-timestamp,
    // x-source-cluster, x-source-partition) from the backed-up records first.
    bool strip_offset_headers = false;
    bool dry_run = false;
    std::optional<std::uint64_t> rate_limit_records_per_sec;
    std::optional<std::uint64_t> rate_limit_bytes_per_sec;
    std::uint32_t max_concurrent_partitions = 4;
    std::uint32_t produce_batch_size = 1000;
    std::int16_t produce_acks = -1;
    std::int32_t produce_timeout_ms = 30'000;
    std::optional<std::string> checkpoint_state;  // OSO local file; ours lives in storage
    // Largest produce batch; the target topic's max.message.bytes caps it too.
    // Also accepted as produce_batch_size_bytes (OSO's docs).
    std::optional<std::uint64_t> produce_max_batch_bytes;
    // Names this restore's checkpoint and lease (OSO 0.25); derived when unset.
    std::optional<std::string> restore_id;
    std::uint64_t checkpoint_interval_secs = 60;
    std::vector<std::string> consumer_groups;  // empty + reset: every group in the snapshot
    bool reset_consumer_offsets = false;
    bool auto_consumer_groups = false;
    bool force_reset_active_groups = false;    // ours
    std::optional<std::string> offset_report;  // local copy of the offset mapping
    bool create_topics = false;
    // ours: create target topics with retention.ms=-1, so records with old
    // timestamps are not deleted by time retention right after the restore.
    bool preserve_retention = false;
    // Also accepted as `replication_factor`; -1 or unset: the broker default.
    std::optional<std::int16_t> default_replication_factor;
    // ours: target topic (or glob) -> config name -> value, for created topics.
    std::map<std::string, std::map<std::string, std::string>> topic_config_overrides;
    bool purge_topics = false;
    bool restore_acls = false;  // ours: recreate the ACLs the backup holds (backup.acls)
};

// Whether restored records get OSO's restore headers (the option or header-based).
bool adds_offset_headers(const restore_options& r) noexcept;

const char* to_string(offset_strategy s) noexcept;
const char* to_string(repartition_strategy s) noexcept;

}  // namespace kb::config
