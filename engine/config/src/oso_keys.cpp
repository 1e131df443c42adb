#include "oso_keys.hpp"

#include <kb/config/error.hpp>

#include <algorithm>

namespace kb::config::detail {
namespace {

bool empty_collection(const YAML::Node& n) {
    return (n.IsMap() || n.IsSequence()) && !n.size();
}

bool accepted(const reader& r, const YAML::Node& n, const gated_key& k) {
    for (auto value : k.accepted) {
        if (value == "{}") {
            if (empty_collection(n)) return true;
            continue;
        }
        if (n.IsScalar() && normalise_enum(r.text(n, r.key_path(k.key))) == normalise_enum(value))
            return true;
    }
    return false;
}

[[noreturn]] void refuse(const reader& r, const YAML::Node& n, const gated_key& k) {
    std::string shown = n.IsScalar() ? ": " + n.Scalar() : " as given";
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    std::string ok;
    for (auto v : k.accepted) ok += (ok.empty() ? "" : ", ") + std::string(v);
    throw config_error(
        config_errc::unsupported, r.key_path(k.key),
        r.where(n) + ": '" + r.key_path(k.key) + shown +
            "' (an OSO kafka-backup setting) is not supported yet: " + std::string(k.why),
        (ok.empty() ? std::string("remove the key") : "remove the key or set it to " + ok) +
            "; docs/migrating-from-oso.md lists every OSO key");
}

}  // namespace

void check_gated(reader& r, const std::vector<gated_key>& keys) {
    for (const auto& k : keys) {
        auto n = r.take(k.key);
        if (n && !accepted(r, *n, k)) refuse(r, *n, k);
    }
}

const std::vector<gated_key>& gated_backup_keys() {
    static const std::vector<gated_key> keys = {
        {"isolation_level",
         {"read_committed"},
         "backups fetch read_committed and keep the broker's aborted-transaction list, so "
         "restores leave aborted records out; read_uncommitted backups are not built"},
        {"on_missing_topic",
         {"fail"},
         "a topic named literally in topics.include that does not exist fails the backup"},
        {"capture_topic_configs", {"true"}, "topic configs are always captured"},
        {"require_topic_configs",
         {"false"},
         "a topic whose configs cannot be read is backed up without them"},
        {"checkpoint_on_shutdown",
         {"true"},
         "the first SIGTERM or SIGINT always ends with a durable publish"},
        {"fetch_timeout_ms",
         {},
         "set source.connection.request_timeout_ms, the deadline of every request"},
    };
    return keys;
}

const std::vector<gated_key>& gated_restore_keys() {
    static const std::vector<gated_key> keys = {
        {"idempotent_producer",
         {"true"},
         "restores always produce idempotently (acks=all), which is what makes resume exact"},
        {"checkpoint_storage",
         {"remote"},
         "restore progress is kept in the backup location, beside the backup"},
        {"restore_topic_configs",
         {"true"},
         "created topics always get the configs captured at backup time"},
        {"existing_topic_config_policy",
         {"validate_only"},
         "the configs of topics that already exist are left as they are"},
        {"unsupported_config_policy",
         {"skip"},
         "topic configs the target does not accept are left out with a warning"},
        {"target_profile", {}, "Confluent Cloud target profiles are not built"},
        {"target_cluster_type", {}, "Confluent Cloud target profiles are not built"},
        {"rewrite_schema_ids", {"false"}, "Schema Registry id rewriting is not built"},
        {"schema_id_mapping", {"{}"}, "Schema Registry id rewriting is not built"},
        {"schema_id_rewrite_topics", {"{}"}, "Schema Registry id rewriting is not built"},
        {"schema_id_rewrite_strict", {"true"}, "Schema Registry id rewriting is not built"},
        {"header_preflight",
         {"auto", "skip"},
         "offsets are translated through the restore's own offset mapping, not through "
         "headers, so there is nothing to preflight"},
        {"dry_run_check_segments",
         {"false"},
         "a dry run reads the manifest; run 'kafka-backup validate --deep' to read every segment"},
        {"restore_strategy", {}, "a design-document key that no OSO release reads"},
        {"reset_strategy",
         {},
         "a design-document key that no OSO release reads; use consumer_group_strategy and "
         "reset_consumer_offsets"},
    };
    return keys;
}

void read_circuit_breaker(reader& r) {
    auto section = r.section("circuit_breaker");
    if (!section) return;
    bool enabled = true;
    std::uint32_t failures = 5, successes = 2;
    std::uint64_t reset_ms = 30'000;
    section->get("enabled", enabled);
    section->get_int("failure_threshold", failures);
    section->get_int("success_threshold", successes);
    section->get_int("reset_timeout_ms", reset_ms);
    section->finish();
    if (enabled && (failures == 0 || successes == 0 || reset_ms == 0))
        throw config_error(config_errc::invalid_value, section->path(),
                           r.ctx().origin + ": " + section->path() +
                               ": failure_threshold, success_threshold and reset_timeout_ms "
                               "must be at least 1");
    r.note(section->path() +
           " is advisory in OSO (it only logs); kafka-backup retries each request under a "
           "deadline (engine.retry_deadline_secs) and stops with one line when it runs out");
}

}  // namespace kb::config::detail
