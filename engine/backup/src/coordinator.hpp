#pragma once
// coordinator: the one owner of a backup's manifest (on shard 0).
//
// Partition pipelines report each durable segment with commit(); the coordinator
// adds it to the manifest and publishes a new version. Concurrent commits are
// coalesced: while one publish is in flight the next ones wait for a single
// follow-up publish that carries all of them. commit() returns once a manifest
// naming the segment is published, which is the partition's checkpoint.
// Threading: every method runs on shard 0.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <boost/asio/steady_timer.hpp>

#include <cstdint>
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
};

class coordinator {
  public:
    coordinator(storage::backend& b, storage::format::backup_layout layout);

    // Reads the newest published manifest (a resume), remembering its sequence.
    boost::asio::awaitable<std::optional<storage::format::manifest>> load();

    boost::asio::awaitable<void> commit(segment_commit c);
    // A retention gap found with no segment after it yet (e.g. at a snapshot's end).
    boost::asio::awaitable<void> record_gap(std::string topic, std::int32_t partition,
                                            storage::format::retention_gap gap);
    // Publishes manifest() as it is now (coalesced like commit()).
    boost::asio::awaitable<void> publish();

    storage::format::manifest& manifest() noexcept { return manifest_; }
    // The manifest entry of a partition with data, created (and taken out of
    // empty_partitions) when missing.
    storage::format::partition_manifest& partition(const std::string& topic, std::int32_t p);
    std::uint64_t sequence() const noexcept { return store_.last_sequence(); }

  private:
    boost::asio::awaitable<void> wait_published(std::uint64_t generation);

    storage::format::manifest_store store_;
    storage::format::manifest manifest_;
    std::optional<boost::asio::steady_timer> wake_;
    bool publishing_ = false;
    std::uint64_t changed_ = 0;    // generation of the newest change
    std::uint64_t published_ = 0;  // generation the last publish carried
};

// Where a partition's backup continues: after its last segment, if it has one.
std::optional<std::int64_t> resume_offset(const storage::format::manifest& m,
                                          const std::string& topic, std::int32_t partition);

}  // namespace kb::backup
