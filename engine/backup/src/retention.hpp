#pragma once
// backup.retention (OSO 0.25): after a run, and after each discovery pass of a
// continuous run, the oldest segments beyond the policy leave the manifest the
// coordinator owns (kb/inspect/retention.hpp says which), that manifest is
// published, and only then are the objects deleted, so no published manifest
// names a deleted segment. A failure is a warning: the backup that just
// succeeded stays a success, and the next run tries again. Runs on shard 0.

#include "job_state.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace kb::backup {

// Takes the segments the policy prunes out of the coordinator's manifest and
// returns their keys, for delete_pruned() after the next publish.
std::vector<std::string> cut_for_retention(backup_job::state& st);
boost::asio::awaitable<void> delete_pruned(backup_job::state& st, std::vector<std::string> keys);

// cut_for_retention(), publish, delete_pruned().
boost::asio::awaitable<void> apply_retention(backup_job::state& st);

}  // namespace kb::backup
