#pragma once
// Offset snapshots: the committed offsets of some consumer groups at one moment,
// with a description, saved as one JSON object in storage at
//   offset-snapshots/<snapshot id>.json      (relative to the backend root)
// and put back by rollback(). Schema: docs/schemas/offset-snapshot.schema.json.
// Snapshots OSO kafka-backup wrote (offset-snapshots/<id>/snapshot.json) are
// listed, shown, verified, rolled back and deleted too; we never write them.
// Coroutines run on the cluster's / backend's executor.

#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/groups.hpp>
#include <kb/storage/backend.hpp>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::offsets {

using boost::asio::awaitable;

inline constexpr const char* snapshots_prefix = "offset-snapshots/";

struct snapshot_offset {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int32_t leader_epoch = -1;
    std::optional<std::string> metadata;
};

struct offset_snapshot {
    std::string snapshot_id;
    std::string created_at;  // RFC 3339
    std::string description;
    std::string cluster_id;
    std::vector<std::string> bootstrap_servers;
    std::map<std::string, std::vector<snapshot_offset>> groups;  // by group id
    std::optional<std::string> restore_id;                       // OSO's, when it recorded one
    std::string written_by = "kafka-backup";                     // or "oso"
};

// OSO's shape, "snap-<epoch ms>-<8 hex>": time, then random, so ids sort by time.
std::string new_snapshot_id();
bool valid_snapshot_id(const std::string& id);
std::string snapshot_key(const std::string& id);

nlohmann::json to_json(const offset_snapshot& s);
// Throws kb::error(fatal, "InvalidSnapshot") naming the field at fault.
offset_snapshot parse_snapshot(const std::string& json_text);
// OSO's layout and document (oso_snapshot.cpp); same errors.
std::string oso_snapshot_key(const std::string& id);
offset_snapshot parse_oso_snapshot(const std::string& json_text);

// Reads the groups' committed offsets now.
awaitable<offset_snapshot> capture(kafka::client::cluster& c, std::vector<std::string> groups,
                                   std::string description);

awaitable<void> save_snapshot(storage::backend& b, offset_snapshot s);
// Throws kb::error(not_found, "NoSuchSnapshot").
awaitable<offset_snapshot> load_snapshot(storage::backend& b, std::string id);
// Every snapshot, ours and OSO's, newest first (as OSO lists them).
awaitable<std::vector<offset_snapshot>> list_snapshots(storage::backend& b);
// Throws kb::error(not_found, "NoSuchSnapshot") when there is none to delete.
awaitable<void> delete_snapshot(storage::backend& b, std::string id);

// OSO's `offset-rollback list -f json`: an array of {snapshot_id, created_at,
// group_count, offset_count, restore_id, description}, plus our groups and written_by.
nlohmann::json list_json(const std::vector<offset_snapshot>& all);
std::string list_text(const std::vector<offset_snapshot>& all);
std::string show_text(const offset_snapshot& s);

// rollback: put each group back exactly as the snapshot saw it, group by group:
// commit the snapshot's offsets, then delete (OffsetDelete) the commits of every
// partition that had none at snapshot time.
struct offset_mismatch {
    std::string topic;
    std::int32_t partition = 0;
    std::optional<std::int64_t> expected;  // none: nothing should be committed
    std::optional<std::int64_t> actual;    // none: nothing committed
};

struct group_rollback {
    std::string group;
    std::string status;  // "restored" | "refused" | "failed"
    std::string message;
    std::size_t partitions = 0;
    std::size_t deleted = 0;       // commits removed: partitions the snapshot had none for
    std::optional<bool> verified;  // with verify: read back and equal, nothing extra
    std::vector<offset_mismatch> mismatches;
};

struct rollback_result {
    std::string snapshot_id;
    bool verify = false;
    bool verify_only = false;  // verify_snapshot(): nothing committed, status "verified"|"differs"
    std::vector<group_rollback> groups;
    bool ok() const noexcept;
};

awaitable<rollback_result> rollback(kafka::client::cluster& c, offset_snapshot s, bool verify);
// Compares each group's committed offsets with the snapshot; changes nothing.
awaitable<rollback_result> verify_snapshot(kafka::client::cluster& c, offset_snapshot s);

// What differs between a group's snapshot offsets and what it has committed now: a
// snapshot partition committed elsewhere or not at all, and a commit on a partition
// the snapshot had none for (expected = none).
std::vector<offset_mismatch> compare_with_snapshot(
    const std::vector<snapshot_offset>& want, const std::vector<kafka::client::group_offset>& have);
// The committed partitions the snapshot had no commit for (rollback deletes them).
std::vector<kafka::client::group_partition> commits_not_in_snapshot(
    const std::vector<snapshot_offset>& want, const std::vector<kafka::client::group_offset>& have);

nlohmann::json to_json(const rollback_result& r);
std::string to_text(const rollback_result& r);

}  // namespace kb::offsets
