#pragma once
// prune: delete old segments of a backup.
//
// plan_prune() is pure: it picks the segments one criterion selects. Executing
// a plan first publishes a manifest without those segments (recording the holes
// they leave between kept segments as retention gaps, reason "pruned"), and only
// then deletes the objects, so no published manifest ever names a deleted
// segment. A backup still being written is left alone: active_writer() reports
// an unexpired lock, a checkpoint object written within `freshness`, or an
// in-progress manifest (a continuous backup's checkpoint) updated within
// `freshness`, and execution refuses then. Coroutines run on the backend's executor.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::inspect {

using boost::asio::awaitable;

struct prune_criteria {
    std::optional<std::int64_t> older_than_ms;  // newest record older than now - this
    std::optional<std::int64_t> before_ms;      // newest record before this epoch ms
    std::optional<std::uint64_t> max_total_bytes;
    std::optional<std::uint64_t> keep_segments;  // newest N per partition
};

struct prune_candidate {
    std::string topic;
    std::int32_t partition = 0;
    std::string key;
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
    std::int64_t max_timestamp = 0;
    std::uint64_t stored_bytes = 0;
};

struct prune_plan {
    std::string backup_id;
    std::vector<prune_candidate> remove;
    std::uint64_t bytes_removed = 0;
    std::uint64_t bytes_kept = 0;
    std::uint64_t segments_kept = 0;
    std::optional<std::string> refused;  // why execution was refused
    bool executed = false;
};

prune_plan plan_prune(const storage::format::manifest& m, const prune_criteria& c,
                      std::int64_t now_ms);

// The manifest without the plan's segments (holes between kept segments recorded).
storage::format::manifest apply_plan(storage::format::manifest m, const prune_plan& plan);

// Why the backup looks actively written, or nullopt when it does not.
awaitable<std::optional<std::string>> active_writer(storage::backend& b, std::string backup_id,
                                                    std::chrono::seconds freshness);

// Publishes the pruned manifest, then deletes the objects. Throws
// kb::error(fatal, "BackupActive") when active_writer() finds a writer.
awaitable<prune_plan> execute_prune(storage::backend& b, prune_plan plan,
                                    std::chrono::seconds freshness);

nlohmann::json to_json(const prune_plan& p);
std::string to_text(const prune_plan& p);

}  // namespace kb::inspect
