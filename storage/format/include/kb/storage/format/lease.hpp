#pragma once
// Leases held by a running job (a backup on its backup, a restore on its restore
// id): taken at start, renewed while the job runs, released at the end. A lease
// left by a process of this host that no longer exists (a SIGKILLed run) is taken
// over at once instead of waiting for it to expire. Built on backup_lock.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <atomic>
#include <string>

namespace kb::storage::format {

// "kafka-backup@<host> pid <pid>"
std::string lease_owner();
// True when `owner` names a process on this host that is not running.
bool owner_is_dead(const std::string& owner);

// The lease object `key` for lease_owner(); kb::error "BackupLocked" while another
// live owner holds it. `what` names the job in log lines ("backup", "restore").
awaitable<backup_lock> take_lease(backend& b, std::string key, lock_options opts, std::string what);

// Renews `lock` every ttl/3 until `done` is set; then releases it.
awaitable<void> hold_lease(backup_lock& lock, const std::atomic<bool>& done, lock_options opts,
                           std::string what);

}  // namespace kb::storage::format
