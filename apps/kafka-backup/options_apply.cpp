// Turning flag values into config fields (flags override the file).
#include "options.hpp"

#include <iostream>

#include <kb/config/files.hpp>
#include <kb/config/load.hpp>
#include <kb/config/names.hpp>
#include <kb/config/storage_url.hpp>
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/echo.hpp>

#include <charconv>

namespace kb::cli {

namespace kc = kb::config;

bool has_config_file(const po::variables_map& vm) {
    return vm.count("config") > 0;
}

kc::config config_from(const po::variables_map& vm) {
    if (auto path = text_flag(vm, "config")) return kc::load_file(*path);
    kc::config c;
    c.origin = flags_origin;
    return c;
}

namespace {

void set_if(std::optional<std::string>& field, const po::variables_map& vm, const char* name) {
    if (auto v = text_flag(vm, name)) field = *v;
}

// A secret from its flag or its file flag (which override the config's value
// and its *_file key alike).
void set_secret(std::optional<std::string>& field, std::optional<std::string>& file_field,
                const po::variables_map& vm, const std::string& flag) {
    auto value = text_flag(vm, flag.c_str());
    auto file = text_flag(vm, (flag + "-file").c_str());
    if (value && file)
        throw usage_error("--" + flag + " and --" + flag + "-file are both given",
                          "give one of them");
    if (!value && !file) return;
    field = value ? *value : kc::read_secret_file(*file, "--" + flag + "-file");
    file_field.reset();
}

// "[HOST:]PORT" or "[V6]:PORT"; the host defaults to 127.0.0.1 (this machine only).
kc::metrics_config metrics_at(const std::string& text, kc::metrics_config m) {
    auto colon = text.rfind(':');
    std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
    std::string port_text = colon == std::string::npos ? text : text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    int port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port_text.empty() ||
        port < 0 || port > 65535)
        throw usage_error("--metrics-address: " + kb::runtime::echo(text) +
                              " is not [HOST:]PORT with a port in 0..65535",
                          "e.g. --metrics-address 127.0.0.1:9464");
    m.enabled = true;
    m.bind_address = host.empty() ? "127.0.0.1" : host;
    m.port = static_cast<std::uint16_t>(port);
    return m;
}

// Credentials and tuning stay with the file when --path only moves the location.
void keep_settings(const kc::storage_config& from, kc::storage_config& to) {
    if (from.backend != to.backend) return;
    to.access_key = from.access_key;
    to.secret_key = from.secret_key;
    to.session_token = from.session_token;
    to.profile = from.profile;
    if (!to.ssl_ca_location) to.ssl_ca_location = from.ssl_ca_location;
    to.part_size = from.part_size;
    to.max_parts_in_flight = from.max_parts_in_flight;
    if (to.region.empty()) to.region = from.region;
}

}  // namespace

void apply_kafka_flags(const po::variables_map& vm, kc::kafka_cluster& c,
                       const std::string& section) {
    if (auto servers = list_flag(vm, "bootstrap-servers"); !servers.empty())
        c.bootstrap_servers = servers;
    auto& s = c.security;
    if (auto v = text_flag(vm, "security-protocol"))
        s.protocol = kc::parse_security_protocol(*v, "--security-protocol");
    if (auto v = text_flag(vm, "sasl-mechanism"))
        s.mechanism = kc::parse_sasl_mechanism(*v, "--sasl-mechanism");
    set_if(s.sasl_username, vm, "sasl-username");
    set_secret(s.sasl_password, s.sasl_password_file, vm, "sasl-password");
    set_if(s.ssl_ca_location, vm, "ssl-ca-location");
    set_if(s.ssl_certificate_location, vm, "ssl-certificate-location");
    set_if(s.ssl_key_location, vm, "ssl-key-location");
    set_secret(s.ssl_key_password, s.ssl_key_password_file, vm, "ssl-key-password");
    set_if(s.ssl_keystore_location, vm, "ssl-keystore-location");
    set_secret(s.ssl_keystore_password, s.ssl_keystore_password_file, vm, "ssl-keystore-password");
    if (switch_flag(vm, "ssl-no-hostname-verification"))
        s.ssl_endpoint_identification_algorithm = "none";
    kc::resolve_secrets(c, section);
    kc::check_named_files(c, section);
}

void apply_storage_flags(const po::variables_map& vm, kc::config& c) {
    if (auto path = text_flag(vm, "path")) {
        auto s = kc::parse_storage_url(*path, "--path");
        if (c.storage) keep_settings(*c.storage, s);
        c.storage = s;
    }
    if (auto id = text_flag(vm, "backup-id")) c.backup_id = *id;
    if (c.storage) kc::check_named_files(*c.storage);
}

void apply_engine_flags(const po::variables_map& vm, kc::config& c) {
    if (auto v = size_flag(vm, "memory-budget")) c.engine.memory_budget = *v;
    if (auto v = int_flag(vm, "shards", 0, 1024)) c.engine.shards = static_cast<std::uint32_t>(*v);
    if (auto v = int_flag(vm, "retry-deadline-secs", 1, 86'400))
        c.engine.retry_deadline_secs = static_cast<std::uint64_t>(*v);
    if (auto v = text_flag(vm, "metrics-address"))
        c.metrics = metrics_at(*v, c.metrics.value_or(kc::metrics_config{}));
}

kc::storage_config storage_from(const po::variables_map& vm) {
    kc::config c = config_from(vm);
    apply_storage_flags(vm, c);
    if (!c.storage)
        throw usage_error("missing --path",
                          "give the backup location: a directory or s3://bucket/prefix");
    kc::validate_storage(*c.storage, c.origin);
    return *c.storage;
}

std::string backup_id_from(const po::variables_map& vm) {
    if (auto id = text_flag(vm, "backup-id")) {
        kc::validate_backup_id(*id, flags_origin);
        return *id;
    }
    if (has_config_file(vm)) {
        auto c = config_from(vm);
        if (!c.backup_id.empty()) {
            kc::validate_backup_id(c.backup_id, c.origin);
            return c.backup_id;
        }
    }
    throw usage_error("missing --backup-id",
                      "'kafka-backup list --path ...' shows the backups there");
}

std::string snapshot_id_from(const po::variables_map& vm) {
    auto id = text_flag(vm, "snapshot-id").value_or("");
    if (id.empty())
        throw usage_error("missing --snapshot-id",
                          "'kafka-backup offset-snapshot list --path ...' shows them");
    if (!kb::offsets::valid_snapshot_id(id))
        throw usage_error("--snapshot-id " + kb::runtime::echo(id) + " is not a snapshot id",
                          "ids are 1..128 letters, digits, '.', '_' and '-'; "
                          "'kafka-backup offset-snapshot list --path ...' shows them");
    return id;
}

kc::kafka_cluster cluster_from(const po::variables_map& vm) {
    kc::config c = config_from(vm);
    kc::kafka_cluster cluster = c.target.value_or(c.source.value_or(kc::kafka_cluster{}));
    const char* section = c.target ? "target" : c.source ? "source" : "cluster";
    apply_kafka_flags(vm, cluster, section);
    kc::validate_cluster(cluster, section, c.origin);
    return cluster;
}

kb::log::level log_level_from(const po::variables_map& vm, const kc::config* cfg) {
    if (switch_flag(vm, "verbose")) return kb::log::level::debug;
    std::string text = cfg ? cfg->logging.level : "info";
    if (auto v = text_flag(vm, "log-level")) text = *v;
    kb::log::level out = kb::log::level::info;
    if (!kb::log::parse_level(text, out))
        throw usage_error("--log-level: " + kb::runtime::echo(text) + " is not a level",
                          "use debug, info, warn, error or off");
    return out;
}

output_format format_from(const po::variables_map& vm, const char* name,
                          const std::vector<output_format>& allowed, output_format fallback) {
    auto v = text_flag(vm, name);
    if (!v) return fallback;
    std::vector<std::string> names;
    for (auto f : allowed) names.emplace_back(to_string(f));
    auto chosen = kc::parse_choice(*v, std::string("--") + name, names);
    for (auto f : allowed)
        if (chosen == to_string(f)) return f;
    return fallback;
}

void fill_common(common_request& req, const std::string& typed, const po::variables_map& vm,
                 const kc::config* cfg) {
    req.command = typed;
    req.log_level = log_level_from(vm, cfg);
    // Keys accepted with a caveat say so once, before any work starts.
    if (cfg && req.log_level <= kb::log::level::warn)
        for (const auto& n : cfg->notes) std::cerr << "kafka-backup: note: " << n << "\n";
}

const char* to_string(output_format f) noexcept {
    switch (f) {
        case output_format::text:
            return "text";
        case output_format::json:
            return "json";
        case output_format::csv:
            return "csv";
        case output_format::yaml:
            return "yaml";
    }
    return "?";
}

}  // namespace kb::cli
