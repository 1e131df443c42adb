#pragma once
// status (OSO's command): where a backup stands.
//
// Static: read from the backup location alone (ours, or a backup OSO wrote): the
// newest manifest's totals
// (segments, records, stored and raw bytes, compression ratio), each partition's
// last backed-up offset against the end offset the backup aims at, and whether a
// backup job is running now (it holds the backup's writer lease, lock.json).
//
// Live: the running job's metrics endpoint (the config's `metrics:` section):
// /health and the Prometheus text of /metrics, summed into a few figures.
//
// Coroutines run on the backend's (or the caller's) executor.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::inspect {

struct backup_status {
    std::string backup_id;
    std::optional<storage::format::manifest> manifest;  // none: no version published yet
    std::optional<storage::format::lock_info> lease;    // a writer's lease, live or stale
    storage::format::timestamp now{};                   // when it was read
    bool running() const noexcept;                      // a lease that has not expired
};

// Throws kb::error(not_found, "NoSuchBackup") when there is neither a manifest nor a lease.
boost::asio::awaitable<backup_status> read_backup_status(storage::backend& b,
                                                         std::string backup_id);
nlohmann::json to_json(const backup_status& s);
std::string to_text(const backup_status& s);

// Figures summed from a backup job's Prometheus text (engine/backup/src/metrics.cpp).
struct live_metrics {
    double records = 0;       // kafka_backup_records_total
    double bytes = 0;         // kafka_backup_bytes_total (raw record batches)
    double stored_bytes = 0;  // kafka_backup_stored_bytes_total
    double segments = 0;      // kafka_backup_segments_total
    double errors = 0;        // kafka_backup_errors_total
    double lag = 0;           // kafka_backup_lag_records, all partitions
    double partitions = 0;    // kafka_backup_partitions
};
live_metrics parse_prometheus(std::string_view text);

struct live_status {
    std::string endpoint;  // "http://127.0.0.1:8080"
    std::string health;    // the /health document's "status" ("ok", "failed", ...)
    live_metrics metrics;
};

// GETs /health and `metrics_path` from host:port, each within `timeout`.
// Throws kb::error(retryable, "MetricsUnreachable") naming the endpoint when it cannot.
boost::asio::awaitable<live_status> probe_live(std::string host, std::uint16_t port,
                                               std::string metrics_path,
                                               std::chrono::milliseconds timeout);
nlohmann::json to_json(const live_status& s);
std::string to_text(const live_status& s);

}  // namespace kb::inspect
