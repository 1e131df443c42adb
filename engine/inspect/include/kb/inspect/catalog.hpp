#pragma once
// What a storage location holds: its backups (`list`) and one backup in detail
// (`describe`). Reads manifests only. Coroutines run on the backend's executor;
// the backend must outlive them.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace kb::inspect {

using boost::asio::awaitable;

struct backup_summary {
    std::string backup_id;
    std::string status;      // "complete" | "in_progress"
    std::string created_at;  // RFC 3339
    std::string updated_at;
    std::vector<std::string> topics;
    std::uint64_t segments = 0;
    std::uint64_t records = 0;
    std::uint64_t stored_bytes = 0;
};

backup_summary summarize(const storage::format::manifest& m);

// Every backup with at least one published manifest, by id.
awaitable<std::vector<backup_summary>> list_backups(storage::backend& b);

// The newest manifest of `backup_id`; throws kb::error(not_found, "NoSuchBackup").
awaitable<storage::format::manifest> load_manifest(storage::backend& b, std::string backup_id);

nlohmann::json to_json(const backup_summary& s);
nlohmann::json list_json(const std::vector<backup_summary>& all);
std::string list_text(const std::vector<backup_summary>& all);
std::string list_csv(const std::vector<backup_summary>& all);

// describe: the manifest's content without per-segment detail bloat (segments
// are summarized per partition).
nlohmann::json describe_json(const storage::format::manifest& m);
std::string describe_text(const storage::format::manifest& m);
std::string to_yaml(const nlohmann::json& j);

}  // namespace kb::inspect
