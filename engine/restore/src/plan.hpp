#pragma once
// Building a restore plan from a manifest (pure) and checking it against the target.

#include <kb/kafka/client/cluster.hpp>
#include <kb/restore/restore.hpp>
#include <kb/storage/backend.hpp>

namespace kb::restore::detail {

// Newest manifest of the backup; kb::error(not_found, "BackupNotFound") listing the
// backups under the backend's root when it has none.
storage::awaitable<storage::format::manifest> load_manifest(storage::backend& b,
                                                            std::string backup_id);

// Topics, tasks and segments chosen by the config (no I/O).
restore_plan build_plan(const storage::format::manifest& m, const config::config& cfg);

// Looks at the target: which topics exist, with enough partitions; fills plan.checks.
boost::asio::awaitable<void> preflight(kafka::client::cluster& c, restore_plan& plan,
                                       const config::restore_options& opts);

}  // namespace kb::restore::detail
