#pragma once
// The backup engine: copies Kafka topics into the backup format (segments and
// manifest, see docs/format.md) on any storage backend.
//
// backup_job::run() blocks the calling thread while a shard_pool does the work:
// one coordinator on shard 0 (discovery, manifest, lock, metrics server) and one
// pipeline per partition (fetch -> segment -> compress -> upload) on the shard the
// partition hashes to, each shard with its own Kafka cluster client and storage
// backend. A partition's checkpoint is its last segment in the published manifest,
// so re-running with the same backup id resumes exactly where the manifest ends.
//
// Threading: construct and run() on one thread; request_stop() may be called from
// any thread (e.g. a signal-waiting thread) at any time.

#include <kb/config/backup.hpp>
#include <kb/config/topic_selector.hpp>
#include <kb/kafka/client/config.hpp>
#include <kb/runtime/progress.hpp>
#include <kb/storage/location.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kb::backup {

struct metrics_endpoint {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: pick a free port (see backup_job::metrics_port())
    std::string path = "/metrics";
};

struct backup_settings {
    std::string backup_id;
    kafka::client::client_config kafka;
    storage::location storage;
    config::topic_selector topics;
    // Include patterns naming one topic exactly: the backup fails when one is missing.
    std::vector<std::string> literal_topics;
    bool include_internal = false;
    config::backup_options options;
    std::uint64_t memory_budget = 512ull << 20;
    std::size_t shards = 0;  // 0: one per core
    std::size_t part_size = 8ull << 20;
    int parts_in_flight = 4;
    std::int32_t fetch_max_bytes = 16 << 20;  // per fetch response (one partition)
    std::optional<metrics_endpoint> metrics;  // served while the job runs
    runtime::progress_reporter* progress = nullptr;
    std::string tool_version = "kafka-backup";
    // Segment commits are published together at most this often (the first at
    // once; the last when the run ends); 0 publishes every commit.
    std::chrono::milliseconds publish_interval{1000};
};

struct topic_summary {
    std::string name;
    std::int32_t partitions = 0;
    std::uint64_t records = 0;  // this run
    std::uint64_t raw_bytes = 0;
    std::uint64_t stored_bytes = 0;
    std::uint64_t segments = 0;
};

struct backup_summary {
    std::string backup_id;
    std::string location;  // no secrets
    std::string cluster_id;
    std::vector<topic_summary> topics;
    std::uint64_t partitions = 0;
    std::uint64_t records = 0;  // written by this run
    std::uint64_t raw_bytes = 0;
    std::uint64_t stored_bytes = 0;
    std::uint64_t segments = 0;
    std::uint64_t retention_gaps = 0;
    std::uint64_t pruned_segments = 0;  // deleted by backup.retention in this run
    std::uint64_t consumer_groups = 0;
    std::uint64_t manifest_sequence = 0;
    bool resumed = false;      // continued a backup that had a manifest
    bool complete = false;     // snapshot reached its end offsets
    bool interrupted = false;  // request_stop() ended the run early
    std::chrono::duration<double> elapsed{};
};

class backup_job {
  public:
    explicit backup_job(backup_settings settings);
    ~backup_job();
    backup_job(const backup_job&) = delete;
    backup_job& operator=(const backup_job&) = delete;

    // Runs to the end of the snapshot (or until stopped, in continuous mode).
    // Throws kb::error (classified) when the backup cannot proceed; whatever was
    // durable is published first, so the backup stays resumable.
    backup_summary run();
    // Stop fetching, finish the segments in hand, publish, return from run().
    void request_stop() noexcept;
    // The bound metrics port once run() has started the server (0 before).
    std::uint16_t metrics_port() const noexcept;

    struct state;

  private:
    std::shared_ptr<state> st_;
};

}  // namespace kb::backup
