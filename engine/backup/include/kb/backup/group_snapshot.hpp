#pragma once
// Consumer group offsets captured into a backup's manifest (manifest.consumer_groups,
// docs/format.md), the one place restore reads them from when it translates groups
// (restore.auto_consumer_groups / reset_consumer_offsets).
//
// The backup job captures them during discovery; `snapshot-groups` (OSO's command)
// captures them on demand into an existing backup. Both go through
// capture_group_offsets(), so the two cannot disagree on what a snapshot holds.
//
// Coroutines run on the cluster's and backend's executor (one io_context).

#include <kb/kafka/client/cluster.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace kb::backup {

// True when `group` matches one of `globs`, or `globs` is empty (every group).
bool group_selected(const std::vector<std::string>& globs, const std::string& group);

// The committed offsets, as of now, of every selected group on `topics`. Groups
// with no commit on those topics are left out.
boost::asio::awaitable<std::vector<storage::format::group_snapshot>> capture_group_offsets(
    kafka::client::cluster& c, std::vector<std::string> globs, std::vector<std::string> topics);

// Replaces the manifest's snapshots of the groups in `fresh` and keeps the others.
void merge_group_snapshots(storage::format::manifest& m,
                           std::vector<storage::format::group_snapshot> fresh);

struct group_snapshot_result {
    std::string backup_id;
    std::uint64_t manifest_sequence = 0;  // the version published with the groups
    std::vector<std::string> topics;      // the backup's topics the offsets were read on
    std::vector<storage::format::group_snapshot> groups;  // captured by this run
};

// snapshot-groups: takes the backup's writer lease (so it refuses while a backup
// job runs; that job snapshots groups itself), reads the newest manifest, captures
// the selected groups' offsets on the manifest's topics and publishes the next
// manifest version with them. Throws kb::error(not_found, "NoSuchBackup") when the
// backup has no manifest yet.
boost::asio::awaitable<group_snapshot_result> snapshot_groups_into_backup(
    storage::backend& b, kafka::client::cluster& c, std::string backup_id,
    std::vector<std::string> globs);

}  // namespace kb::backup
