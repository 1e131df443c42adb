#pragma once
// The validation YAML of `validation run --config` (OSO kafka-backup's
// ValidationConfig): which backup to check a restored cluster against, which
// checks to run and where the evidence report goes. Parsed strictly like the main
// config: an unknown key is an error naming it and the closest valid one.
// OSO features we do not have (PDF evidence, custom webhooks, notifications,
// sampled counting) are refused with one line saying so, never ignored.

#include <kb/config/cluster.hpp>
#include <kb/config/env.hpp>
#include <kb/config/storage.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::config {

struct validation_config {
    std::string backup_id;
    storage_config storage;
    kafka_cluster target;
    struct {
        bool enabled = true;
        std::vector<std::string> topics;   // empty: every topic of the backup
        std::uint64_t fail_threshold = 0;  // records a partition may differ by
    } message_count;
    struct {
        bool enabled = true;
        bool verify_high_watermark = true;
        bool verify_low_watermark = true;
    } offset_range;
    struct {
        bool enabled = true;
        bool verify_all_groups = true;    // every group the backup snapshotted
        std::vector<std::string> groups;  // else these
    } consumer_group_offsets;
    struct {
        bool enabled = false;
        std::string private_key_path;  // PEM, ECDSA P-256 (PKCS#8 or SEC1)
        std::string public_key_path;   // PEM; optional, recorded in the report
    } signing;
    std::string evidence_prefix = "evidence-reports/";
    std::uint32_t retention_days = 2555;
    std::optional<std::int64_t> pitr_timestamp;
    std::optional<std::string> triggered_by;
    std::string origin;
};

// Throws config_error naming the key (and file:line) at fault.
validation_config parse_validation_yaml(std::string_view text, std::string origin,
                                        const env_lookup& env = process_env());
validation_config load_validation_file(const std::string& path,
                                       const env_lookup& env = process_env());

}  // namespace kb::config
