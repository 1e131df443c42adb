#pragma once
// The whole kafka-backup config: the OSO kafka-backup YAML schema (mode,
// backup_id, source/target, storage, backup, restore, offset_storage,
// metrics, logging) plus our `engine:` section. Plain data: parse it with
// load.hpp, override fields from flags, then validate().

#include <kb/config/backup.hpp>
#include <kb/config/cluster.hpp>
#include <kb/config/restore.hpp>
#include <kb/config/storage.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::config {

enum class mode { backup, restore };

// Prometheus metrics and health endpoint (OSO `metrics:`).
struct metrics_config {
    bool enabled = true;
    std::uint16_t port = 8080;
    std::string bind_address = "127.0.0.1";  // OSO: 0.0.0.0; ours: this machine only
    std::string path = "/metrics";
    std::uint64_t update_interval_ms = 500;
    std::uint64_t keep_alive_seconds = 0;
    std::uint32_t max_partition_labels = 100;
};

// OSO `logging:`; the CLI's --log-level/-v override it.
struct logging_config {
    std::string level = "info";   // trace|debug|info|warn|error|off
    std::string format = "text";  // text|json
};

// OSO `offset_storage:` (its local SQLite progress store). Accepted so OSO
// configs load; our checkpoints live with the backup in storage.
struct offset_storage_config {
    std::string backend = "sqlite";  // sqlite|memory
    std::string db_path;
    std::optional<std::string> s3_key;
    std::uint64_t sync_interval_secs = 30;
};

// Ours: how the engine runs.
struct engine_config {
    std::uint64_t memory_budget = 512ull << 20;  // bytes buffered by all pipelines together
    std::uint32_t shards = 0;                    // 0: one per CPU core
    // How long one operation (a fetch, a produce, an S3 call) keeps retrying
    // through an outage before the run fails; unset: retry_deadline() decides.
    std::optional<std::uint64_t> retry_deadline_secs;
};

// The retry deadline in force: engine.retry_deadline_secs when set, else 5 minutes
// for a continuous backup (it must ride out rolling restarts) and 60 s for a
// snapshot backup or a restore (a run that someone waits for fails sooner).
std::chrono::seconds retry_deadline(const engine_config& e, bool continuous);

struct config {
    std::optional<kb::config::mode> mode;  // the subcommand implies it when absent
    std::string backup_id;
    std::optional<kafka_cluster> source;
    std::optional<kafka_cluster> target;
    std::optional<storage_config> storage;
    backup_options backup;
    restore_options restore;
    std::optional<offset_storage_config> offset_storage;
    std::optional<metrics_config> metrics;  // absent: no metrics server
    logging_config logging;
    engine_config engine;
    std::string origin = "<defaults>";  // the file it came from, for messages
    // Keys accepted with a caveat (mostly OSO keys whose effect differs); the CLI
    // prints each as a note before it starts.
    std::vector<std::string> notes;
};

const char* to_string(mode m) noexcept;

}  // namespace kb::config
