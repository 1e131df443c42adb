#pragma once
// `backup:` options (OSO kafka-backup schema, plus `consumer_groups`).
// Keys OSO needs for its own design and that ours does not (sqlite offset
// store sync, per-record offset headers) parse and are documented as no-ops.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::config {

enum class compression { none, zstd, lz4, gzip, snappy };

// Where each partition's backup starts when there is no checkpoint yet.
struct start_offset {
    enum class kind { earliest, latest, specific, timestamp };
    kind where = kind::earliest;
    // kind::specific: topic -> partition -> offset; partitions not listed start earliest.
    std::map<std::string, std::map<std::int32_t, std::int64_t>> offsets;
    std::int64_t timestamp_ms = 0;  // kind::timestamp: first record at or after this time
};

// OSO 0.25 `backup.retention`: after each backup, what `kafka-backup prune` would
// remove under these rules is removed (at least keep_segments per partition stay).
struct retention_policy {
    std::optional<std::int64_t> max_age_ms;        // max_age: 30d, 1d12h, ...
    std::optional<std::uint64_t> max_total_bytes;  // of the whole backup
    std::uint64_t keep_segments = 1;               // newest per partition, always kept
};

struct backup_options {
    std::uint64_t segment_max_bytes = 128ull << 20;
    std::uint64_t segment_max_interval_ms = 60'000;
    std::optional<std::uint64_t> segment_max_records;
    compression codec = compression::zstd;  // key: compression
    int compression_level = 3;
    start_offset start;  // key: start_offset
    bool continuous = false;
    // A one-shot run always stops at the end offsets read at start (snapshot);
    // this key is accepted for OSO compatibility and must not be combined
    // with `continuous`.
    bool stop_at_current_offsets = false;
    bool include_internal_topics = false;
    std::vector<std::string> internal_topics;
    // OSO; no effect (progress is published with each segment). Also checkpoint_interval_ms.
    std::uint64_t checkpoint_interval_secs = 5;
    std::optional<retention_policy> retention;
    std::optional<std::string> source_cluster_id;
    std::uint32_t max_concurrent_partitions = 8;
    std::uint64_t poll_interval_ms = 100;
    // Unlike OSO (default false), group offsets are captured unless turned off.
    bool consumer_group_snapshot = true;
    std::optional<std::uint64_t> fetch_max_bytes;
    std::vector<std::string> consumer_groups;  // ours: group globs; empty = every group
    // ours: keep the ACLs on the backed-up topics and groups in the manifest;
    // cluster_acls adds the cluster's, transactional ids', tokens' and users' (and
    // implies acls); acls_optional backs up without them when the cluster refuses.
    bool acls = false;
    bool cluster_acls = false;
    bool acls_optional = false;
};

const char* to_string(compression c) noexcept;
// Valid levels per codec: zstd 1..22, gzip 1..9, lz4 0..12; none and snappy (which
// has no levels) ignore the level.
bool compression_level_valid(compression c, int level) noexcept;

}  // namespace kb::config
