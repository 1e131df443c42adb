#pragma once
// Publishing and reading manifest versions with S3 semantics (no rename, no
// conditional put through our interface). See docs/format.md "Atomic updates".
//
// - Segments are written (and complete) before any manifest names them.
// - Each version is a new immutable object manifests/manifest-<seq>.json written
//   with one put, so it appears whole or not at all; readers list the prefix and
//   take the highest sequence.
// - publish() is compare-and-publish: it checks (HEAD) that the sequence after the
//   one this store last read or wrote is free and refuses (kb::error fatal
//   "ManifestConflict") when another writer's version is there; a version there
//   with this store's writer_id is its own write whose reply was lost, and the
//   store publishes after it. After the put it reads the object's size and tail
//   back and refuses if another writer's put of the same sequence replaced it.
// - Its cost does not depend on history: HEAD, PUT, HEAD + ranged GET of the
//   tail, and one DELETE of the version that falls out of the newest `keep`.
// - What remains is a window where two writers put the same sequence and both
//   read back their own bytes before the other's put lands; backup_lock (a lease
//   object with owner and expiry) keeps two writers from working on one backup at
//   once so that window is not reached in practice.
//
// Threading: one store per writer, on the backend's executor; the backend must
// outlive it.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::format {

// How many manifest versions prune() keeps unless told otherwise.
inline constexpr std::size_t default_manifest_versions_kept = 10;

struct loaded_manifest {
    std::uint64_t sequence = 0;
    std::string key;
    manifest value;
};

class manifest_store {
  public:
    // `writer_id` tells writers apart in published manifests; empty picks a random one.
    manifest_store(backend& b, backup_layout layout, std::string writer_id = {});

    // The newest version, or nullopt for a backup with none yet. Remembers its sequence.
    awaitable<std::optional<loaded_manifest>> read_latest();
    // Every published sequence, ascending.
    awaitable<std::vector<std::uint64_t>> list_versions();
    awaitable<loaded_manifest> read_version(std::uint64_t sequence);

    // Publishes `m` as the next version (sets its sequence and writer_id) and
    // returns the sequence, then deletes the version that is no longer among the
    // newest versions_kept(). Throws ManifestConflict as described above.
    awaitable<std::uint64_t> publish(manifest m);

    // Deletes all but the newest `keep` versions (keep >= 1); returns how many went.
    // publish() keeps the count from growing; this clears older leftovers.
    awaitable<std::size_t> prune(std::size_t keep = default_manifest_versions_kept);
    // Removes temporary manifest files a killed writer left (the filesystem
    // backend's hidden temps; nothing on S3). Only while no other writer runs.
    awaitable<std::size_t> remove_stale_temporaries();

    // How many versions publish() keeps; 0 keeps every version.
    void set_versions_kept(std::size_t keep) noexcept { keep_ = keep; }
    std::size_t versions_kept() const noexcept { return keep_; }

    std::uint64_t last_sequence() const noexcept { return last_seen_; }
    // Bytes of the version this store last published (0 before its first).
    std::size_t last_size() const noexcept { return last_size_; }
    const std::string& writer_id() const noexcept { return writer_id_; }
    const backup_layout& layout() const noexcept { return layout_; }

  private:
    std::string name_of(const std::string& key) const;
    awaitable<std::uint64_t> next_sequence();
    awaitable<void> refuse_newer(std::uint64_t found);
    awaitable<void> check_own_write(std::uint64_t sequence, std::string_view body);
    awaitable<void> drop_expired(std::uint64_t published);

    backend* b_;
    backup_layout layout_;
    std::string writer_id_;
    std::uint64_t last_seen_ = 0;
    bool synced_ = false;  // last_seen_ came from a read or a publish
    std::size_t last_size_ = 0;
    std::size_t keep_ = default_manifest_versions_kept;
};

struct lock_options {
    std::chrono::seconds ttl{300};  // a lease not renewed for this long may be taken over
    // Wait before reading our lock back, unless the store created it atomically.
    std::chrono::milliseconds settle{2'000};
};

struct lock_info {
    std::string owner;
    std::string nonce;  // unique per acquisition
    timestamp acquired_at{};
    timestamp expires_at{};
};

// backup_lock: an advisory lease on one backup, the object {backup}/lock.json (or on
// any other object key: a restore's lease is {backup}/restores/<id>/lock.json).
//
// acquire() refuses (kb::error fatal "BackupLocked", naming the owner and expiry)
// while another unexpired lease exists; otherwise it writes its own (a free lock with
// backend::put_if_absent), waits `settle` unless that create was atomic, and reads it
// back to see that no concurrent writer replaced it.
// Renew well within the ttl; release() removes the lease only if it is still ours.
class backup_lock {
  public:
    backup_lock() = default;  // holds nothing (a placeholder); use acquire()
    static awaitable<backup_lock> acquire(backend& b, backup_layout layout, std::string owner,
                                          lock_options opts = {});
    static awaitable<backup_lock> acquire(backend& b, std::string key, std::string owner,
                                          lock_options opts = {});
    awaitable<void> renew();
    awaitable<void> release();
    const lock_info& info() const noexcept { return info_; }

    // The current lease, if any (for `describe` and error messages).
    static awaitable<std::optional<lock_info>> read(backend& b, backup_layout layout);
    static awaitable<std::optional<lock_info>> read(backend& b, std::string key);

  private:
    backup_lock(backend& b, std::string key, lock_info info, lock_options opts)
        : b_(&b), key_(std::move(key)), info_(std::move(info)), opts_(opts) {}
    backend* b_ = nullptr;
    std::string key_;
    lock_info info_;
    lock_options opts_;
};

}  // namespace kb::storage::format
