#pragma once
// coordinator: the one owner of a backup's manifest (on shard 0).
//
// Partition pipelines report each durable segment with commit(); the coordinator
// adds it to the manifest. Publishing a version costs a write of the whole
// manifest, so commits are batched: the first commit of a run is published at
// once, later ones at most once per `publish_interval` (a deferred publish
// carries every commit made meanwhile). commit() returns once the segment is in
// the manifest in memory; a crash before the deferred publish only makes the
// re-run fetch those ranges again (their segment objects are overwritten or
// left unreferenced). publish() publishes at once (first version, final
// version); close() ends a deferred publish before the coordinator goes away.
// A deferred publish that fails is reported to `on_failure` and rethrown by the
// next commit().
// Threading: every method runs on shard 0.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kb::backup {

struct segment_commit {
    std::string topic;
    std::int32_t partition = 0;
    storage::format::segment_ref segment;
    std::vector<storage::format::retention_gap> gaps;  // before this segment
    std::int64_t log_start_offset = -1;
    std::int64_t start_offset = -1;  // a partition new to the backup: where it started
};

// Publishing at most once a second keeps a backup of thousands of small
// partitions from writing one manifest per segment (issue: 1,200 partitions
// wrote 1,202 versions of 950 KB), while a checkpoint still lags by ~1 s. A
// large manifest is published less often, so manifests take at most about
// `publish_bytes_per_second` of writes (and never less often than the cap).
inline constexpr std::chrono::milliseconds default_publish_interval{1000};
inline constexpr std::size_t publish_bytes_per_second = 256 * 1024;
inline constexpr std::chrono::milliseconds max_publish_interval{30'000};

class coordinator {
  public:
    coordinator(storage::backend& b, storage::format::backup_layout layout,
                std::chrono::milliseconds publish_interval = default_publish_interval);

    // Reads the newest published manifest (a resume), remembering its sequence.
    boost::asio::awaitable<std::optional<storage::format::manifest>> load();
    // With the lease held: deletes manifest versions beyond the newest kept and
    // temporary manifests a killed run left behind.
    boost::asio::awaitable<void> tidy();

    boost::asio::awaitable<void> commit(segment_commit c);
    // A retention gap found with no segment after it yet (e.g. at a snapshot's end).
    boost::asio::awaitable<void> record_gap(std::string topic, std::int32_t partition,
                                            storage::format::retention_gap gap);
    // Publishes manifest() as it is now (coalesced with a publish in flight).
    boost::asio::awaitable<void> publish();
    // Cancels a deferred publish not yet started and waits for one in flight.
    boost::asio::awaitable<void> close();

    storage::format::manifest& manifest() noexcept { return manifest_; }
    // The manifest entry of a partition with data, created (and taken out of
    // empty_partitions) when missing.
    storage::format::partition_manifest& partition(const std::string& topic, std::int32_t p);
    std::uint64_t sequence() const noexcept { return store_.last_sequence(); }
    storage::format::manifest_store& store() noexcept { return store_; }

    std::function<void(std::exception_ptr)> on_failure;

  private:
    boost::asio::awaitable<void> changed();
    boost::asio::awaitable<void> publish_through(std::uint64_t generation);
    boost::asio::awaitable<void> deferred_publish();
    boost::asio::awaitable<void> wait_published();
    bool due() const;
    std::chrono::milliseconds interval() const;

    storage::format::manifest_store store_;
    storage::format::manifest manifest_;
    std::chrono::milliseconds interval_;
    std::optional<boost::asio::steady_timer> wake_;
    std::optional<boost::asio::steady_timer> deferred_timer_;
    std::chrono::steady_clock::time_point last_publish_{};
    std::exception_ptr deferred_failure_;
    bool publishing_ = false;
    bool committed_once_ = false;  // a commit of this run was published at once
    bool deferred_ = false;        // a deferred publish is scheduled
    bool closed_ = false;
    int running_ = 0;              // deferred publishes not yet ended
    std::uint64_t changed_ = 0;    // generation of the newest change
    std::uint64_t published_ = 0;  // generation the last publish carried
};

// Where a partition's backup continues: after its last segment, if it has one.
std::optional<std::int64_t> resume_offset(const storage::format::manifest& m,
                                          const std::string& topic, std::int32_t partition);

}  // namespace kb::backup
