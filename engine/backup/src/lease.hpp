#pragma once
// The backup's writer lease on {backup}/lock.json: the shared job lease
// (kb/storage/format/lease.hpp, also held by restores) with the backup's timings.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/lease.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <string>

namespace kb::backup {

boost::asio::awaitable<storage::format::backup_lock> take_lease(
    storage::backend& b, storage::format::backup_layout layout);

// Renews `lock` every ttl/3 until `done` is set; then releases it.
boost::asio::awaitable<void> hold_lease(storage::format::backup_lock& lock,
                                        const std::atomic<bool>& done);

// Aborts the multipart uploads left under the backup's segments by an earlier
// run that was killed mid-upload (on S3 their parts are billed until aborted).
// Call only while holding the lease, so no other writer has an upload in flight.
// Returns how many were aborted; failures are logged, not thrown (the backup is
// correct without this cleanup).
boost::asio::awaitable<std::size_t> abort_orphan_uploads(storage::backend& b,
                                                         storage::format::backup_layout layout);

using storage::format::lease_owner;
using storage::format::owner_is_dead;

}  // namespace kb::backup
