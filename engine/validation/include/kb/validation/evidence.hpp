#pragma once
// Evidence reports of validation run: a JSON document in OSO kafka-backup's shape
// (schema_version 1.0: tool, backup, restore, validation results, integrity,
// triggered_by), stored at
//   {evidence prefix}{report id}/{YYYY}/{MM}/{report id}.json   (+ .sig when signed)
// relative to the storage root, so `validation evidence-list|evidence-get` find it.
//
// The stored bytes are canonical JSON (keys sorted, no whitespace) so a signature
// and a SHA-256 over them can be checked byte for byte later; the report's own
// integrity.report_sha256 is the SHA-256 of the report with that field empty.
// Coroutines run on the backend's executor.

#include <kb/config/validation.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/validation/checks.hpp>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::validation {

// "validation-<random UUID v4>"
std::string new_report_id();

struct evidence_inputs {
    std::string report_id;
    const config::validation_config* cfg = nullptr;
    const storage::format::manifest* manifest = nullptr;
    std::string manifest_sha256;  // of the manifest object's bytes
    const validation_summary* summary = nullptr;
    std::string tool_version;
    storage::format::timestamp generated_at{};
};

nlohmann::json build_report(const evidence_inputs& in);
// Where the backup lives, as the report's backup.storage_backend names it:
// "s3 bucket=B prefix=P", "gcs bucket=B prefix=P", "azure account=A container=C
// prefix=P", "filesystem path=D".
std::string describe_storage(const config::storage_config& s);
// The bytes to store and sign (see above).
std::string report_bytes(nlohmann::json report);

// OSO's result lines: "=== Validation Results ===", "Overall: ...", "Checks: ...",
// "Duration: ...", then "  [OUTCOME] name — detail" per check.
std::string results_text(const validation_summary& s);

std::string evidence_key(const std::string& prefix, const std::string& report_id,
                         storage::format::timestamp at, const std::string& extension);

// The backup a validation checks: our newest manifest version, else OSO's
// {id}/manifest.json, with the SHA-256 of that manifest object's bytes (the evidence
// records it). Throws kb::error(not_found, "NoSuchBackup") when there is neither.
struct checked_backup {
    storage::format::manifest manifest;
    std::string sha256;
};
boost::asio::awaitable<checked_backup> load_checked_backup(storage::backend& b,
                                                           std::string backup_id);

boost::asio::awaitable<void> put_text(storage::backend& b, std::string key, std::string text);
// Keys under `prefix`, sorted.
boost::asio::awaitable<std::vector<std::string>> list_evidence(storage::backend& b,
                                                               std::string prefix);
// The first key under {prefix}{report_id}/ ending in `.extension`. Throws
// kb::error(not_found, "NoSuchEvidence") when there is none.
boost::asio::awaitable<std::string> find_evidence(storage::backend& b, std::string prefix,
                                                  std::string report_id, std::string extension);

}  // namespace kb::validation
