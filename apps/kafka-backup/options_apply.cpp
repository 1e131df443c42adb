// Turning flag values into config fields (flags override the file).
#include "options.hpp"

#include <kb/config/load.hpp>
#include <kb/config/names.hpp>
#include <kb/config/storage_url.hpp>

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

void apply_kafka_flags(const po::variables_map& vm, kc::kafka_cluster& c) {
    if (auto servers = list_flag(vm, "bootstrap-servers"); !servers.empty())
        c.bootstrap_servers = servers;
    auto& s = c.security;
    if (auto v = text_flag(vm, "security-protocol"))
        s.protocol = kc::parse_security_protocol(*v, "--security-protocol");
    if (auto v = text_flag(vm, "sasl-mechanism"))
        s.mechanism = kc::parse_sasl_mechanism(*v, "--sasl-mechanism");
    set_if(s.sasl_username, vm, "sasl-username");
    set_if(s.sasl_password, vm, "sasl-password");
    set_if(s.ssl_ca_location, vm, "ssl-ca-location");
    set_if(s.ssl_certificate_location, vm, "ssl-certificate-location");
    set_if(s.ssl_key_location, vm, "ssl-key-location");
    set_if(s.ssl_key_password, vm, "ssl-key-password");
    set_if(s.ssl_keystore_location, vm, "ssl-keystore-location");
    set_if(s.ssl_keystore_password, vm, "ssl-keystore-password");
    if (switch_flag(vm, "ssl-no-hostname-verification"))
        s.ssl_endpoint_identification_algorithm = "none";
}

void apply_storage_flags(const po::variables_map& vm, kc::config& c) {
    if (auto path = text_flag(vm, "path")) {
        auto s = kc::parse_storage_url(*path, "--path");
        if (c.storage) keep_settings(*c.storage, s);
        c.storage = s;
    }
    if (auto id = text_flag(vm, "backup-id")) c.backup_id = *id;
}

void apply_engine_flags(const po::variables_map& vm, kc::config& c) {
    if (auto v = size_flag(vm, "memory-budget")) c.engine.memory_budget = *v;
    if (auto v = int_flag(vm, "shards", 0, 1024)) c.engine.shards = static_cast<std::uint32_t>(*v);
    if (auto v = text_flag(vm, "metrics-address")) {
        auto colon = v->rfind(':');
        if (colon == std::string::npos || colon + 1 == v->size())
            throw usage_error("--metrics-address: '" + *v + "' is not HOST:PORT",
                              "e.g. --metrics-address 127.0.0.1:9464");
        kc::metrics_config m = c.metrics.value_or(kc::metrics_config{});
        m.enabled = true;
        m.bind_address = v->substr(0, colon);
        int port = 0;
        auto text = v->substr(colon + 1);
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
        if (ec != std::errc() || p != text.data() + text.size() || port < 0 || port > 65535)
            throw usage_error("--metrics-address: '" + text + "' is not a port number");
        m.port = static_cast<std::uint16_t>(port);
        c.metrics = m;
    }
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
    if (auto id = text_flag(vm, "backup-id")) return *id;
    if (has_config_file(vm)) {
        auto id = config_from(vm).backup_id;
        if (!id.empty()) return id;
    }
    throw usage_error("missing --backup-id",
                      "'kafka-backup list --path ...' shows the backups there");
}

kc::kafka_cluster cluster_from(const po::variables_map& vm) {
    kc::config c = config_from(vm);
    kc::kafka_cluster cluster = c.target.value_or(c.source.value_or(kc::kafka_cluster{}));
    apply_kafka_flags(vm, cluster);
    kc::validate_cluster(cluster, c.target ? "target" : c.source ? "source" : "cluster", c.origin);
    return cluster;
}

kb::log::level log_level_from(const po::variables_map& vm, const kc::config* cfg) {
    if (switch_flag(vm, "verbose")) return kb::log::level::debug;
    std::string text = cfg ? cfg->logging.level : "info";
    if (auto v = text_flag(vm, "log-level")) text = *v;
    kb::log::level out = kb::log::level::info;
    if (!kb::log::parse_level(text, out))
        throw usage_error("--log-level: '" + text + "' is not a level",
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
