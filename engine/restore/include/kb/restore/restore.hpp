#pragma once
// The restore engine: plan a restore from a backup's manifest, then run it.
//
// plan_restore() reads the newest manifest and decides, per source partition, the
// target topic/partition, the source offset range and the segments to read (segments
// entirely outside the time window or offset range are never downloaded). With a
// target cluster it also runs the preflight checks (target topics exist or will be
// created, enough partitions). run_restore() executes a plan: partitions are spread
// over the shards of a shard_pool, each partition streams GET -> decode/verify ->
// filter -> produce in order, everything buffered charged to one byte budget. Then
// the offset mapping is stored with the backup and consumer groups are translated.
//
// Both are synchronous from the caller's point of view (they run their own shards)
// and throw kb::error with a one-line message on failure.

#include <kb/config/config.hpp>
#include <kb/restore/offset_mapping.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/location.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kb::restore {

struct restore_request {
    config::config cfg;          // validated for mode::restore (target, restore:, engine:)
    storage::location location;  // where the backup lives
    bool progress = false;       // progress bar on stderr
    bool restart = false;        // produce again even if this same restore already completed
};

// One source partition's share of the work.
struct partition_task {
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::string target_topic;
    std::int32_t target_partition = 0;   // -1: repartitioned by murmur2(key) % target_partitions
    std::int32_t target_partitions = 0;  // partition count of the target topic
    std::int64_t first_offset = 0;       // source offsets to restore, inclusive
    std::int64_t last_offset = -1;
    // The target topic's max.message.bytes (0: unknown): larger batches are split.
    std::uint64_t max_batch_bytes = 0;
    // The target cannot take zstd batches (Produce < v7, Kafka < 2.1): re-encode them
    // uncompressed.
    bool zstd_to_none = false;
    // OSO's headers: drop those backed up, append x-original-offset/-timestamp and
    // x-source-partition. Either re-encodes every batch whose records change.
    bool strip_offset_headers = false;
    bool add_offset_headers = false;
    std::vector<storage::format::segment_ref> segments;  // to read, ascending
    // The partition's segments after the last one to read (beyond the time window
    // or offset range): only searched for the markers of transactions still open.
    std::vector<storage::format::segment_ref> later_segments;
    std::uint64_t estimated_records = 0;  // whole segments' counts
    std::uint64_t stored_bytes = 0;       // bytes to download
};

struct topic_plan {
    std::string source_topic;
    std::string target_topic;
    std::string source_topic_id;  // KIP-516 id recorded in the backup; empty when unknown
    std::string target_topic_id;  // the target's id when it exists (after preflight)
    std::int32_t source_partitions = 0;
    std::int32_t target_partitions = 0;
    std::int16_t replication_factor = -1;        // for creation; -1: the broker default
    std::map<std::string, std::string> configs;  // for creation
    std::uint64_t max_message_bytes = 0;         // the target's limit (after preflight)
    bool exists = false;                         // on the target (after preflight)
    bool create = false;
};

struct preflight_check {
    std::string name;
    bool ok = true;
    std::string detail;
};

struct restore_plan {
    std::string backup_id;
    std::string restore_id;  // stable for the same backup, target and choices (resume key)
    std::optional<std::int64_t> time_window_start, time_window_end;
    std::vector<topic_plan> topics;
    std::vector<partition_task> tasks;
    std::vector<preflight_check> checks;
    std::vector<storage::format::group_snapshot> groups;  // to translate (when asked)
    // What consumer_group_strategy does, in OSO's dry-run words (its
    // consumer_offset_actions), then the groups whose offsets will be reset.
    std::vector<std::string> consumer_offset_actions;
    std::uint64_t segments = 0, stored_bytes = 0, estimated_records = 0;
    // ACLs to create (restore_acls), topic renames applied.
    std::vector<storage::format::acl_entry> acls;
    // Records of the chosen partitions' segments that lie wholly outside the time window
    // or offset range: never read, but left out all the same (counted in the summary).
    std::uint64_t records_in_unread_segments = 0;

    bool checks_ok() const;
};

// Records the target topic's time retention would delete soon after the restore
// (timestamps older than now - retention.ms), counted from the segments' times.
struct retention_risk {
    std::string topic;                    // target topic
    std::int64_t retention_ms = -1;       // its effective retention.ms
    std::uint64_t records = 0;            // in segments wholly older than the cutoff
    std::uint64_t records_up_to = 0;      // and in segments that straddle it
    std::int64_t oldest = 0, newest = 0;  // timestamps at risk (ms)
};

struct topic_summary {
    std::string source_topic, target_topic;
    std::uint64_t records = 0, bytes = 0;
    bool created_keeping_records = false;  // created with retention.ms=-1 (preserve_retention)
    std::string source_topic_id, target_topic_id;  // empty when unknown
};

struct restore_summary {
    std::string backup_id, restore_id, mapping_key;
    std::uint64_t records = 0, bytes = 0, batches_passed = 0, batches_reencoded = 0;
    std::uint64_t segments_read = 0, records_skipped = 0, partitions_resumed = 0;
    // Left out as read_committed would: aborted transactions, and transactions
    // with no marker in the backup (still open when it stopped).
    std::uint64_t aborted_transactions = 0, aborted_records = 0;
    std::uint64_t open_transactions = 0, uncommitted_records = 0;
    double seconds = 0;
    std::vector<topic_summary> topics;
    std::vector<group_translation> groups;
    std::vector<retention_risk> retention_risks;  // warned before producing
    bool dry_run = false;
    std::uint64_t acls_created = 0;
    bool already_complete = false;  // the same restore had completed: nothing was produced
};

// Throws kb::error(not_found, "BackupNotFound") listing the backups that exist.
restore_plan plan_restore(const restore_request& req);
restore_summary run_restore(const restore_request& req);

std::string format_plan_text(const restore_plan& p);
std::string format_plan_json(const restore_plan& p);
std::string format_summary_text(const restore_summary& s);
std::string format_summary_json(const restore_summary& s);

}  // namespace kb::restore
