// The validation YAML (validation run --config), strictly.
#include "parse.hpp"

#include <kb/config/error.hpp>
#include <kb/config/load.hpp>
#include <kb/config/validation.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kb::config {
namespace {

using detail::reader;

[[noreturn]] void unsupported(const reader& r, const std::string& key, const std::string& what) {
    throw config_error(config_errc::invalid_value, key,
                       r.ctx().origin + ": '" + key + "': " + what + " is not supported yet",
                       "remove it; docs/cli.md lists what validation run checks");
}

void parse_message_count(reader& r, validation_config& v) {
    auto& m = v.message_count;
    r.get("enabled", m.enabled);
    std::string mode = "exact";
    r.get("mode", mode);
    if (mode != "exact") unsupported(r, r.key_path("mode"), "mode '" + mode + "'");
    std::uint8_t sample = 100;
    r.get_int("sample_percentage", sample);
    if (sample != 100) unsupported(r, r.key_path("sample_percentage"), "sampling");
    r.get("topics", m.topics);
    r.get_int("fail_threshold", m.fail_threshold);
    r.finish();
}

void parse_checks(reader& r, validation_config& v) {
    if (auto s = r.section("message_count")) parse_message_count(*s, v);
    if (auto s = r.section("offset_range")) {
        s->get("enabled", v.offset_range.enabled);
        s->get("verify_high_watermark", v.offset_range.verify_high_watermark);
        s->get("verify_low_watermark", v.offset_range.verify_low_watermark);
        s->finish();
    }
    if (auto s = r.section("consumer_group_offsets")) {
        s->get("enabled", v.consumer_group_offsets.enabled);
        s->get("verify_all_groups", v.consumer_group_offsets.verify_all_groups);
        s->get("groups", v.consumer_group_offsets.groups);
        s->finish();
    }
    if (auto n = r.take("custom_webhooks"); n && n->size() > 0)
        unsupported(r, r.key_path("custom_webhooks"), "a custom webhook check");
    r.finish();
}

void parse_evidence(reader& r, validation_config& v) {
    std::vector<std::string> formats;
    r.get("formats", formats);
    for (const auto& f : formats)
        if (f != "json") unsupported(r, r.key_path("formats"), "evidence format '" + f + "'");
    if (auto s = r.section("signing")) {
        s->get("enabled", v.signing.enabled);
        s->get("private_key_path", v.signing.private_key_path);
        s->get("public_key_path", v.signing.public_key_path);
        s->finish();
    }
    if (auto s = r.section("storage")) {
        s->get("prefix", v.evidence_prefix);
        s->get_int("retention_days", v.retention_days);
        s->finish();
    }
    r.finish();
    if (v.signing.enabled && v.signing.private_key_path.empty())
        throw config_error(
            config_errc::missing_key, "evidence.signing.private_key_path",
            r.ctx().origin + ": evidence.signing is enabled but has no private_key_path",
            "give the PEM file of an ECDSA P-256 private key");
}

void require(bool present, const std::string& origin, const std::string& key) {
    if (!present)
        throw config_error(config_errc::missing_key, key,
                           origin + ": missing required key '" + key + "'",
                           "the validation config needs backup_id, storage and target");
}

}  // namespace

validation_config parse_validation_yaml(std::string_view text, std::string origin,
                                        const env_lookup& env) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw config_error(
            config_errc::syntax, "",
            origin + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
    }
    if (!root.IsMap())
        throw config_error(config_errc::wrong_type, "",
                           origin +
                               ": the validation config must be a mapping of keys "
                               "(backup_id, storage, target, checks, evidence)");
    detail::context ctx{origin, &env};
    reader r(root, "", ctx);
    validation_config v;
    v.origin = origin;
    r.get("backup_id", v.backup_id);
    auto storage = r.section("storage");
    if (storage) v.storage = detail::parse_storage(*storage);
    auto target = r.section("target");
    if (target) v.target = detail::parse_cluster(*target);
    if (auto s = r.section("checks")) parse_checks(*s, v);
    if (auto s = r.section("evidence")) parse_evidence(*s, v);
    if (r.take("notifications")) unsupported(r, "notifications", "sending notifications");
    r.get_timestamp("pitr_timestamp", v.pitr_timestamp);
    r.get("triggered_by", v.triggered_by);
    r.finish();
    require(!v.backup_id.empty(), origin, "backup_id");
    require(storage.has_value(), origin, "storage");
    require(target.has_value(), origin, "target");
    validate_storage(v.storage, origin);
    validate_cluster(v.target, "target", origin);
    return v;
}

validation_config load_validation_file(const std::string& path, const env_lookup& env) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw config_error(config_errc::io, "--config",
                           "cannot read validation config '" + path + "': " + std::strerror(errno),
                           "check the path given to --config");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_validation_yaml(text.str(), path, env);
}

}  // namespace kb::config
