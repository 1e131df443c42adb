#pragma once
// The offset-mapping report (`show-offset-mapping`, alias `offset-report`): per
// partition what a backup holds, and for each consumer group snapshotted at
// backup time its committed offsets and lag. Built from the manifest alone:
// segment record counts are the records actually present, so message_count
// differs from end - start where compaction or retention left holes.
//
// The JSON shape is a contract (docs/schemas/offset-report.schema.json):
//   {"backup_id", "generated_at", "source_cluster",
//    "topics": {T: {"partitions": {"P": {start_offset, end_offset, message_count}}}},
//    "consumer_groups": {G: {"partitions": {"T-P": {offset, lag[, uncommitted]}}}},
//    "restores": [...]}                       (only when a restore has run)
// A group's lag on a partition is the records from its committed offset to the
// partition's end offset in the backup. On a topic where the group committed on some
// partitions, every other partition of that topic is listed too, with no committed
// offset (`offset: null`, `uncommitted: true`) and its lag counted from the start of
// the partition's data: what the group would read if it started there
// (auto.offset.reset=earliest). So a group's lags add up to what it has left to read.
// Pure functions over values; thread-safe.

#include <kb/storage/format/manifest.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::inspect {

struct partition_report {
    std::int64_t start_offset = 0;
    std::int64_t end_offset = 0;  // exclusive: the next offset after the backup
    std::uint64_t message_count = 0;
};

struct group_partition_report {
    std::string topic;
    std::int32_t partition = 0;
    std::optional<std::int64_t> offset;  // none: the group has no commit here (uncommitted)
    std::optional<std::int64_t> lag;     // none when the partition is not in the backup
};

// One contiguous run of restored records: source offsets
// [source_first, source_last] landed at target offsets starting at target_first, in
// target_partition (which differs between ranges of a repartitioned partition).
struct offset_range {
    std::int64_t source_first = 0;
    std::int64_t source_last = 0;
    std::int64_t target_first = 0;
    std::int32_t target_partition = 0;
};

struct restored_partition {
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::string target_topic;
    std::int32_t target_partition = 0;  // -1: repartitioned, see each range
    std::vector<offset_range> ranges;
};

struct translated_offset {
    std::string group;
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::int64_t source_offset = 0;
    std::string target_topic;
    std::int32_t target_partition = 0;
    std::optional<std::int64_t> target_offset;  // none when it cannot be translated
};

struct restore_report {
    std::string restore_id;
    std::string target_cluster;
    std::string completed_at;  // RFC 3339, may be empty
    std::vector<restored_partition> partitions;
    std::vector<translated_offset> group_offsets;
};

struct offset_report {
    std::string backup_id;
    std::string generated_at;  // RFC 3339
    std::string source_cluster;
    std::map<std::string, std::map<std::int32_t, partition_report>> topics;
    std::map<std::string, std::vector<group_partition_report>> groups;
    std::vector<restore_report> restores;
};

// The report of `m`, generated now.
offset_report build_report(const storage::format::manifest& m);
// Where a partition's data starts and ends in a backup, and how many records it holds.
partition_report summarize_partition(const storage::format::partition_manifest& p);

nlohmann::json to_json(const offset_report& r);
// One header row, then one row per topic partition and per group partition:
// kind,topic,partition,group,start_offset,end_offset,message_count,committed_offset,lag,
// restore_id,target_topic,target_partition,target_offset
// (a `group` row with an empty committed_offset is a partition the group never
// committed on, its lag counted from the partition's start, see above)
// and, per restore, a `restored` row per range (topic/partition are the source;
// start..end the source offsets, end exclusive; target_offset where the range begins)
// and a `translated` row per group partition (committed_offset is the source offset,
// target_offset the translated one, empty when it has none).
std::string to_csv(const offset_report& r);
// Aligned columns, for people; per restore, its ranges and translated group offsets.
std::string to_text(const offset_report& r);

}  // namespace kb::inspect
