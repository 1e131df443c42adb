#pragma once
// The offset mapping a restore produces: for every restored source partition, which
// target offsets its records got, as contiguous runs (a run ends wherever the source
// offsets jump: compaction holes, records left out by the time window, aborted
// transactions, or a move to another target partition when repartitioning), plus
// the consumer-group offsets translated with it.
//
// Stored as one JSON object per restore run at
//   {backup prefix/}{backup_id}/restores/<restore id>/offset-mapping.json
// (and optionally a local file). Layout:
//   { "format_version": 1, "backup_id": "...", "restore_id": "...",
//     "created_at": "2024-05-01T12:00:00.000Z", "target_cluster_id": "...",
//     "partitions": [ { "source_topic": "orders", "source_partition": 0,
//                       "target_topic": "orders-restored", "target_partition": 0,
//                       "ranges": [ {"source_first": 0, "source_last": 29,
//                                    "target_first": 0, "target_partition": 0}, ... ] } ],
//     "groups": [ { "group": "orders-streams", "source_topic": "orders",
//                   "source_partition": 0, "source_offset": 30,
//                   "target_topic": "orders-restored", "target_partition": 0,
//                   "target_offset": 30, "committed": true } ] }
// A partition's target_partition is -1 when it was repartitioned (its records went
// to several target partitions); each range always names its own target_partition.
//
// Pure values plus two awaitable helpers for a storage backend.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/keys.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::restore {

inline constexpr int offset_mapping_version = 1;

// Source offsets source_first..source_last went to target_first.. in order, one by one.
struct offset_range {
    std::int64_t source_first = 0;
    std::int64_t source_last = 0;
    std::int64_t target_first = 0;
    std::int32_t target_partition = 0;

    std::int64_t count() const noexcept { return source_last - source_first + 1; }
    std::int64_t target_last() const noexcept { return target_first + count() - 1; }
    bool operator==(const offset_range&) const = default;
};

struct partition_mapping {
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::string target_topic;
    std::int32_t target_partition = 0;  // -1: repartitioned, see each range
    std::vector<offset_range> ranges;   // ascending source offsets, non-overlapping

    // Appends a run, merging it into the last range when it continues it exactly.
    void add(std::int64_t source_first, std::int64_t count, std::int32_t target_partition,
             std::int64_t target_first);
    std::uint64_t record_count() const noexcept;
    bool operator==(const partition_mapping&) const = default;
};

struct group_translation {
    std::string group;
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::int64_t source_offset = 0;
    std::string target_topic;
    std::int32_t target_partition = 0;
    std::int64_t target_offset = 0;
    bool committed = false;
    bool operator==(const group_translation&) const = default;
};

struct offset_mapping {
    int format_version = offset_mapping_version;
    std::string backup_id;
    std::string restore_id;
    std::string created_at;  // RFC 3339, UTC
    std::string target_cluster_id;
    std::vector<partition_mapping> partitions;
    std::vector<group_translation> groups;

    const partition_mapping* find(std::string_view source_topic,
                                  std::int32_t source_partition) const;
    partition_mapping* find(std::string_view source_topic, std::int32_t source_partition);
    bool operator==(const offset_mapping&) const = default;
};

// Where a committed source offset `c` goes: the target position of the first restored
// record whose source offset is >= c. nullopt when every restored record is below c
// (the caller then uses the target partition's end). Only for partitions with a single
// target partition.
struct target_position {
    std::int32_t target_partition = 0;
    std::int64_t target_offset = 0;
};
std::optional<target_position> translate(const partition_mapping& m, std::int64_t source_offset);

std::string serialize_offset_mapping(const offset_mapping& m);  // pretty JSON
// Throws kb::error(fatal, "InvalidOffsetMapping") naming the field at fault.
offset_mapping parse_offset_mapping(std::string_view json_text);

// "{root}/restores/" and "{root}/restores/<restore id>/offset-mapping.json".
std::string restores_prefix(const storage::format::backup_layout& layout);
std::string offset_mapping_key(const storage::format::backup_layout& layout,
                               std::string_view restore_id);

// Writes the mapping under its key (one put: whole or nothing).
storage::awaitable<void> write_offset_mapping(storage::backend& b,
                                              storage::format::backup_layout layout,
                                              offset_mapping m);
// nullopt when that restore has no mapping.
storage::awaitable<std::optional<offset_mapping>> read_offset_mapping(
    storage::backend& b, storage::format::backup_layout layout, std::string restore_id);
// Restore ids that have a mapping under the backup, in key order.
storage::awaitable<std::vector<std::string>> list_offset_mappings(
    storage::backend& b, storage::format::backup_layout layout);
// Every mapping stored with backup `backup_id`, in restore id order.
storage::awaitable<std::vector<offset_mapping>> read_offset_mappings(storage::backend& b,
                                                                     std::string backup_id);

}  // namespace kb::restore
