#pragma once
// The requests each subcommand parses its flags and config into, and the
// functions that execute them. Parsing lives in cmd_*.cpp; execution lives
// in run_*.cpp, which hand the validated request to the engines. Each run_* returns an exit code
// (exit_codes.hpp) and reports its own errors as one line on stderr.

#include <kb/config/config.hpp>
#include <kb/config/validation.hpp>
#include <kb/runtime/log.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::cli {

enum class output_format { text, json, csv, yaml };

// What every request carries besides its own fields.
struct common_request {
    std::string command;  // as typed, e.g. "offset-report" for show-offset-mapping
    kb::log::level log_level = kb::log::level::info;
};

struct backup_request : common_request {
    kb::config::config cfg;  // validated for mode::backup, flags applied
    output_format output = output_format::text;
    bool progress = true;  // a progress bar when stderr is a TTY
};

// restore, three-phase-restore (reset offsets after the data) and
// validate-restore (plan and preflight only: cfg.restore.dry_run).
struct restore_request : common_request {
    kb::config::config cfg;  // validated for mode::restore, flags applied
    output_format output = output_format::text;
    bool progress = true;
    bool restart = false;  // produce again although the same restore completed
};

struct list_request : common_request {
    kb::config::storage_config storage;
    output_format format = output_format::text;
};

struct describe_request : common_request {
    kb::config::storage_config storage;
    std::string backup_id;
    output_format format = output_format::text;  // text|json|yaml
};

struct validate_request : common_request {
    kb::config::storage_config storage;
    std::string backup_id;
    bool deep = false;  // stream every segment: checksums, CRCs, continuity, counts
    output_format format = output_format::text;
};

// Exactly one criterion is set; nothing is deleted unless `execute`.
struct prune_request : common_request {
    kb::config::storage_config storage;
    std::string backup_id;
    std::optional<std::int64_t> older_than_ms;  // age of a segment's newest record
    std::optional<std::int64_t> before_ms;      // epoch ms
    std::optional<std::uint64_t> max_total_bytes;
    std::optional<std::uint64_t> keep_segments;  // newest N per partition
    bool execute = false;
    output_format format = output_format::text;
};

struct offset_mapping_request : common_request {
    kb::config::storage_config storage;
    std::string backup_id;
    output_format format = output_format::text;  // json|csv|text
};

// Where offset-reset moves each group's partitions.
struct reset_target {
    enum class kind { earliest, latest, offset, timestamp, shift_by, from_mapping };
    kind to = kind::earliest;
    std::int64_t value = 0;  // offset, epoch ms or shift, by kind
};

struct offset_reset_request : common_request {
    enum class action { plan, execute, script };
    action what = action::plan;
    kb::config::kafka_cluster cluster;  // topics: which topics' offsets to move
    std::vector<std::string> groups;
    reset_target target;
    std::optional<kb::config::storage_config> storage;  // for from_mapping
    std::string backup_id;                              // for from_mapping
    output_format format = output_format::text;         // text|json|csv
    std::optional<std::string> output_file;             // script: default stdout
    std::uint32_t max_concurrent = 8;                   // groups in flight
};

struct offset_snapshot_request : common_request {
    enum class action { create, list, show, remove };
    action what = action::list;
    kb::config::storage_config storage;
    std::optional<kb::config::kafka_cluster> cluster;  // create
    std::vector<std::string> groups;                   // create
    std::string description;                           // create
    std::string snapshot_id;                           // show, delete
    output_format format = output_format::text;
};

struct offset_rollback_request : common_request {
    kb::config::storage_config storage;
    kb::config::kafka_cluster cluster;
    std::string snapshot_id;
    bool verify = false;       // read the offsets back and compare
    bool verify_only = false;  // compare only; commit nothing (OSO: offset-rollback verify)
    output_format format = output_format::text;
};

// snapshot-groups: the backup config (mode backup, validated).
struct snapshot_groups_request : common_request {
    kb::config::config cfg;
    output_format format = output_format::text;
};

// status: stored (from the backup location) or live (the running job's metrics).
struct status_request : common_request {
    bool live = false;
    std::optional<kb::config::storage_config> storage;  // stored
    std::string backup_id;
    std::string host;  // live: the metrics endpoint
    std::uint16_t port = 0;
    std::string metrics_path = "/metrics";
    bool watch = false;
    unsigned interval_secs = 2;
    output_format format = output_format::text;
};

// offset-reset-bulk: groups to the offsets the backup's restores translated.
struct offset_reset_bulk_request : common_request {
    kb::config::kafka_cluster cluster;
    kb::config::storage_config storage;
    std::string backup_id;
    std::vector<std::string> groups;  // empty: every group of the mapping
    std::uint32_t max_concurrent = 50;
    std::uint32_t max_retries = 3;
    output_format format = output_format::text;
};

// validation run|evidence-list|evidence-get|evidence-verify.
struct validation_request : common_request {
    enum class action { run, evidence_list, evidence_get, evidence_verify };
    action what = action::run;
    std::optional<kb::config::validation_config> cfg;   // run
    std::optional<kb::config::storage_config> storage;  // evidence-list, evidence-get
    std::string prefix = "evidence-reports/";
    std::size_t limit = 50;
    std::string report_id;                  // evidence-get
    std::string extension = "json";         // evidence-get: json|sig
    std::string output;                     // evidence-get
    std::string report_file;                // evidence-verify
    std::string signature_file;             // evidence-verify
    std::optional<std::string> public_key;  // evidence-verify
};

int run_backup(const backup_request& req);
int run_restore(const restore_request& req);
int run_list(const list_request& req);
int run_describe(const describe_request& req);
int run_validate(const validate_request& req);
int run_prune(const prune_request& req);
int run_offset_mapping(const offset_mapping_request& req);
int run_offset_reset(const offset_reset_request& req);
int run_offset_snapshot(const offset_snapshot_request& req);
int run_offset_rollback(const offset_rollback_request& req);
int run_snapshot_groups(const snapshot_groups_request& req);
int run_status(const status_request& req);
int run_offset_reset_bulk(const offset_reset_bulk_request& req);
int run_validation(const validation_request& req);

const char* to_string(output_format f) noexcept;

}  // namespace kb::cli
