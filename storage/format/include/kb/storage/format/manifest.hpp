#pragma once
// The manifest: what one backup holds, as one JSON document (see docs/format.md).
//
// Each published version is immutable (manifest_store writes a new object per
// version). parse_manifest() validates everything it reads and names the field
// at fault: "manifest: topics[0].partitions[2].segments[5].last_offset: below first_offset".

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::format {

// 2: new segments are keyed by their first offset only (keys.hpp); 1: by first
// and last offset. Readers take both; a backup resumed by this version mixes them.
inline constexpr int manifest_version = 2;

using timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

// A transaction that was aborted and overlaps a segment, as the broker lists
// it in a read_committed Fetch response: restore drops this producer's records
// from first_offset up to its ABORT marker without waiting for the marker.
struct aborted_transaction_ref {
    std::int64_t producer_id = 0;
    std::int64_t first_offset = 0;
};

struct segment_ref {
    std::string key;  // object key, relative to the backend root
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
    std::int64_t min_timestamp = 0;
    std::int64_t max_timestamp = 0;
    std::uint64_t record_count = 0;
    std::uint64_t raw_bytes = 0;     // the record batches, uncompressed
    std::uint64_t stored_bytes = 0;  // the segment object
    std::string checksum;            // of the object: "crc32c:0a1b2c3d"
    std::string compression = "zstd";
    // Aborted transactions overlapping this segment (may start in an earlier
    // one); empty when none or when the backup did not record them.
    std::vector<aborted_transaction_ref> aborted_transactions;
};

// Offsets that no longer existed on the broker (deleted by retention or
// compaction) between two backed-up ranges, recorded so restore and validate
// can tell a known gap from lost data.
struct retention_gap {
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
    std::string reason;  // e.g. "retention", "compaction"
};

struct partition_manifest {
    std::int32_t partition = 0;
    std::int64_t log_start_offset = -1;  // as seen at backup time; -1 unknown
    std::int64_t end_offset = -1;        // high watermark backed up to; -1 unknown
    std::vector<segment_ref> segments;   // ascending, non-overlapping
    std::vector<retention_gap> retention_gaps;
    // The first offset this backup set out to copy (the log start or the resolved
    // --start-offset when the partition joined the backup; moved up by pruning). A
    // first segment starting later lost its manifest entry unless a gap covers it.
    // -1 unknown (older manifests, OSO backups).
    std::int64_t start_offset = -1;
};

struct topic_manifest {
    std::string name;
    std::int32_t partition_count = 0;
    std::int16_t replication_factor = -1;        // -1 unknown
    std::map<std::string, std::string> configs;  // non-default topic configs
    std::vector<partition_manifest> partitions;  // partitions with data
    std::vector<std::int32_t> empty_partitions;  // partitions that had no records
    // The topic's id on the source cluster (KIP-516, as Kafka prints it); empty
    // when unknown (brokers before 2.8, backups written before it was recorded).
    // A topic deleted and recreated under the same name gets a new id.
    std::string topic_id;
};

struct group_offset {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int32_t leader_epoch = -1;
    std::string metadata;
};

struct group_snapshot {
    std::string group_id;
    timestamp taken_at{};
    std::vector<group_offset> offsets;
};

// One ACL binding of the source cluster, in Kafka's own words (lower case, as
// kafka-acls.sh prints them): resource_type topic|group|cluster|transactional_id|
// delegation_token|user, pattern_type literal|prefixed, operation read|write|...,
// permission allow|deny.
struct acl_entry {
    std::string resource_type;
    std::string resource_name;
    std::string pattern_type;
    std::string principal;  // e.g. User:alice
    std::string host;       // * or an address
    std::string operation;
    std::string permission;
    bool operator==(const acl_entry&) const = default;
};

struct source_cluster {
    std::string cluster_id;
    std::vector<std::string> bootstrap_servers;
};

enum class backup_status { in_progress, complete };

struct manifest {
    int format_version = manifest_version;
    std::string backup_id;
    std::string tool_version;
    std::uint64_t sequence = 0;  // set by manifest_store::publish
    std::string writer_id;       // set by manifest_store::publish
    backup_status status = backup_status::in_progress;
    timestamp created_at{};
    timestamp updated_at{};
    source_cluster source;
    std::vector<topic_manifest> topics;
    std::vector<group_snapshot> consumer_groups;
    // The ACLs on the backed-up topics and groups (and the cluster's, when asked)
    // at the last run that captured them; nullopt when never captured (older
    // manifests, backups taken without --acls).
    std::optional<std::vector<acl_entry>> acls;

    const topic_manifest* find_topic(std::string_view name) const;
    topic_manifest* find_topic(std::string_view name);
};

std::string serialize_manifest(const manifest& m);  // compact JSON, one line
// Throws kb::error(fatal, "InvalidManifest") naming the field at fault.
manifest parse_manifest(std::string_view json_text);
// Checks the invariants parse_manifest enforces, for a manifest built in memory.
void validate_manifest(const manifest& m);

// "2024-05-01T12:00:00.123Z"; parse throws std::invalid_argument.
std::string format_timestamp(timestamp t);
timestamp parse_timestamp(std::string_view text);
timestamp now_ms();

// Names a backup may have: [A-Za-z0-9._-], 1..128 characters, not "." or "..".
bool valid_backup_id(std::string_view id);

}  // namespace kb::storage::format
