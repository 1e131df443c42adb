#include <kb/config/error.hpp>
#include <kb/config/load.hpp>
#include <kb/config/topic_selector.hpp>
#include <kb/runtime/echo.hpp>

#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <set>

namespace kb::config {
namespace {

using runtime::echo;

// Caps on what a config may ask for: each far above real use, low enough that a
// mistaken value fails here rather than as a hang or an allocation failure later.
constexpr std::size_t max_bootstrap_servers = 1000;
constexpr std::size_t max_server_length = 261;  // a 253-character host name, ':' and a port
constexpr std::uint64_t max_segment_bytes = 1ull << 40;
constexpr std::uint64_t max_part_bytes = 5ull << 30;  // an S3 rule
constexpr std::uint64_t max_memory_budget = 1ull << 40;
constexpr std::uint64_t max_retry_deadline = 86'400;
constexpr std::uint32_t max_shards = 1024;

[[noreturn]] void missing(const std::string& origin, const std::string& key, std::string hint) {
    throw config_error(config_errc::missing_key, key,
                       origin + ": missing required key '" + key + "'", std::move(hint));
}

[[noreturn]] void invalid(const std::string& origin, const std::string& key,
                          const std::string& what, std::string hint = {}) {
    throw config_error(config_errc::invalid_value, key, origin + ": " + what, std::move(hint));
}

// "host:port" or "[v6]:port" with a port in 1..65535.
bool valid_server(const std::string& s) {
    auto colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) return false;
    unsigned port = 0;
    auto [p, ec] = std::from_chars(s.data() + colon + 1, s.data() + s.size(), port);
    return ec == std::errc() && p == s.data() + s.size() && port > 0 && port < 65536;
}

void validate_sasl(const security_config& s, const std::string& key, const std::string& origin) {
    if (!s.uses_sasl()) {
        if (s.mechanism || s.sasl_username)
            invalid(origin, key + ".security_protocol",
                    "SASL settings are given but '" + key + ".security_protocol' is " +
                        to_string(s.protocol),
                    "set security_protocol: SASL_PLAINTEXT or SASL_SSL");
        return;
    }
    if (!s.mechanism)
        missing(
            origin, key + ".sasl_mechanism",
            std::string(to_string(s.protocol)) + " needs PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
    if (*s.mechanism == sasl_mechanism::gssapi)
        invalid(origin, key + ".sasl_mechanism",
                "SASL mechanism GSSAPI is not supported by this build",
                "use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
    if (!s.sasl_username)
        missing(origin, key + ".sasl_username", "SASL needs a user name (or KAFKA_USERNAME)");
    if (!s.sasl_password && !s.sasl_password_file)
        missing(origin, key + ".sasl_password",
                "keep it out of the file: sasl_password_file, ${SOME_VAR} or KAFKA_PASSWORD");
}

void validate_tls(const security_config& s, const std::string& key, const std::string& origin) {
    if (s.ssl_certificate_location.has_value() != s.ssl_key_location.has_value())
        missing(
            origin,
            key + (s.ssl_certificate_location ? ".ssl_key_location" : ".ssl_certificate_location"),
            "mutual TLS needs both ssl_certificate_location and ssl_key_location");
    const auto& alg = s.ssl_endpoint_identification_algorithm;
    if (!alg.empty() && alg != "https" && alg != "none")
        invalid(origin, key + ".ssl_endpoint_identification_algorithm",
                echo(alg) + " is not a host name check", "use https (verify) or none");
}

void validate_backup(const backup_options& b, const std::string& origin) {
    if (b.continuous && b.stop_at_current_offsets)
        invalid(origin, "backup.stop_at_current_offsets",
                "'backup.stop_at_current_offsets' cannot be combined with 'backup.continuous'",
                "a one-shot backup already stops at the offsets seen at start");
    if (!compression_level_valid(b.codec, b.compression_level))
        invalid(origin, "backup.compression_level",
                "compression_level " + std::to_string(b.compression_level) +
                    " is out of range for " + to_string(b.codec),
                "zstd takes 1..22, gzip 1..9, lz4 0..12");
    if (b.segment_max_bytes < 1024)
        invalid(origin, "backup.segment_max_bytes", "segment_max_bytes must be at least 1 KiB");
    if (b.segment_max_bytes > max_segment_bytes)
        invalid(origin, "backup.segment_max_bytes",
                "segment_max_bytes " + std::to_string(b.segment_max_bytes) +
                    " is too large (at most 1 TiB)");
    if (b.segment_max_interval_ms == 0)
        invalid(origin, "backup.segment_max_interval_ms", "segment_max_interval_ms must be > 0");
    if (b.max_concurrent_partitions == 0)
        invalid(origin, "backup.max_concurrent_partitions",
                "max_concurrent_partitions must be > 0");
    if (b.segment_max_records && *b.segment_max_records == 0)
        invalid(origin, "backup.segment_max_records", "segment_max_records must be > 0");
}

void validate_window(const restore_options& r, const std::string& origin) {
    if (r.time_window_start && r.time_window_end && *r.time_window_start > *r.time_window_end)
        invalid(origin, "restore.time_window_start",
                "time_window_start (" + std::to_string(*r.time_window_start) +
                    ") is after time_window_end (" + std::to_string(*r.time_window_end) + ")");
    for (const auto& [topic, parts] : r.offset_ranges)
        for (const auto& [p, range] : parts)
            if (range.start_offset && range.end_offset && *range.start_offset > *range.end_offset)
                invalid(
                    origin, "restore.offset_ranges." + topic,
                    "offset range of " + topic + "-" + std::to_string(p) + " starts after it ends");
}

void validate_restore(const restore_options& r, const std::string& origin) {
    validate_window(r, origin);
    if (r.restore_id && (r.restore_id->empty() || r.restore_id->size() > 200 ||
                         r.restore_id->find_first_not_of(
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
                             std::string::npos ||
                         *r.restore_id == "." || *r.restore_id == ".."))
        invalid(origin, "restore.restore_id", "restore_id must be 1 to 200 of A-Z a-z 0-9 . _ -");
    for (const auto& [topic, rp] : r.repartition)
        if (rp.target_partitions <= 0)
            invalid(origin, "restore.repartitioning." + topic + ".target_partitions",
                    "target_partitions for '" + topic + "' must be > 0");
    if (r.rate_limit_records_per_sec && *r.rate_limit_records_per_sec == 0)
        invalid(origin, "restore.rate_limit_records_per_sec",
                "rate_limit_records_per_sec must be > 0");
    if (r.rate_limit_bytes_per_sec && *r.rate_limit_bytes_per_sec == 0)
        invalid(origin, "restore.rate_limit_bytes_per_sec", "rate_limit_bytes_per_sec must be > 0");
    if (r.max_concurrent_partitions == 0)
        invalid(origin, "restore.max_concurrent_partitions",
                "max_concurrent_partitions must be > 0");
    if (r.produce_batch_size == 0)
        invalid(origin, "restore.produce_batch_size", "produce_batch_size must be > 0");
    if (r.produce_acks != -1 && r.produce_acks != 0 && r.produce_acks != 1)
        invalid(origin, "restore.produce_acks", "produce_acks must be -1 (all), 0 or 1");
    if (r.produce_timeout_ms <= 0)
        invalid(origin, "restore.produce_timeout_ms", "produce_timeout_ms must be > 0");
    auto rf = r.default_replication_factor;
    if (rf && *rf != -1 && *rf <= 0)
        invalid(origin, "restore.default_replication_factor",
                "replication factor must be -1 (broker default) or > 0");
}

// A storage prefix is a path inside the backup location: no '.' or '..'
// components, which would lead out of it (on a filesystem) or alias it.
void check_prefix(const std::string& prefix, const std::string& origin) {
    std::size_t start = 0;
    while (start <= prefix.size()) {
        auto slash = prefix.find_first_of("/\\", start);
        auto part = prefix.substr(start, slash - start);
        if (part == "." || part == "..")
            invalid(origin, "storage.prefix",
                    "storage prefix " + echo(prefix) + " has a '" + part +
                        "' component, which would lead outside the backup location",
                    "use a plain relative path such as prod/kafka");
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
}

void check_endpoint(const storage_config& s, const std::string& origin) {
    // Credentials in a URL end up in shell history, logs and error messages.
    if (runtime::has_userinfo(s.endpoint))
        invalid(origin, "storage.endpoint",
                "storage.endpoint carries credentials (user-info before '@'); they are not "
                "accepted in a URL and are not shown here",
                "give them as storage.access_key/secret_key or AWS_ACCESS_KEY_ID/"
                "AWS_SECRET_ACCESS_KEY");
    if (s.endpoint.rfind("http://", 0) == 0 && !s.allow_http)
        invalid(origin, "storage.allow_http",
                "endpoint " + echo(s.endpoint) + " is plain HTTP but allow_http is false",
                "set allow_http: true or use https");
}

// The account may come from the environment (AZURE_STORAGE_ACCOUNT, the
// connection string), so storage checks it; the container is ours to name.
void validate_azure(const storage_config& s, const std::string& origin) {
    if (s.azure.container_name.empty())
        missing(origin, "storage.container_name", "an azure backend needs a blob container");
    check_prefix(s.prefix, origin);
    check_endpoint(s, origin);
    const auto& a = s.azure;
    bool keyless = !a.account_key && !a.sas_token;
    if (keyless && (a.client_secret || a.use_workload_identity.value_or(false) ||
                    a.use_managed_identity.value_or(false)))
        invalid(origin, "storage.account_key",
                "Azure service principal, workload identity and managed identity are not "
                "supported by this build",
                "give storage.account_key or storage.sas_token (or AZURE_STORAGE_KEY, "
                "AZURE_STORAGE_SAS_TOKEN, AZURE_STORAGE_CONNECTION_STRING)");
}

void check_metrics(const metrics_config& m, const std::string& origin) {
    unsigned char addr[16];
    bool ip = inet_pton(AF_INET, m.bind_address.c_str(), addr) == 1 ||
              inet_pton(AF_INET6, m.bind_address.c_str(), addr) == 1;
    if (!ip)
        invalid(origin, "metrics.bind_address",
                "metrics.bind_address " + echo(m.bind_address) + " is not an IP address",
                "use 127.0.0.1 (this machine only, the default) or 0.0.0.0 (every interface)");
}

void check_servers(const kafka_cluster& c, const std::string& section, const std::string& origin) {
    if (c.bootstrap_servers.empty())
        missing(origin, section + ".bootstrap_servers", "list the brokers as host:port");
    if (c.bootstrap_servers.size() > max_bootstrap_servers)
        invalid(origin, section + ".bootstrap_servers",
                std::to_string(c.bootstrap_servers.size()) +
                    " bootstrap servers are too many (at most " +
                    std::to_string(max_bootstrap_servers) + ")",
                "a few brokers are enough: the client discovers the rest");
    for (const auto& s : c.bootstrap_servers)
        if (s.size() > max_server_length || !valid_server(s))
            invalid(origin, section + ".bootstrap_servers",
                    "bootstrap server " + echo(s) + " is not host:port");
}

}  // namespace

void validate_backup_id(const std::string& id, const std::string& origin) {
    if (id.empty()) missing(origin, "backup_id", "name the backup, e.g. backup_id: orders-daily");
    bool ok = id.size() <= 128 && id != "." && id != "..";
    for (char ch : id) {
        auto c = static_cast<unsigned char>(ch);
        ok = ok && (std::isalnum(c) || c == '.' || c == '_' || c == '-');
    }
    if (!ok)
        invalid(origin, "backup_id", "backup id " + echo(id) + " cannot be used as a storage key",
                "use 1..128 letters, digits, '.', '_' and '-'");
}

// Server-side encryption is an S3 feature; its key id only means something with aws:kms.
static void check_sse(const storage_config& s, const std::string& origin) {
    const auto& mode = s.server_side_encryption;
    bool any = mode || s.sse_kms_key_id || s.sse_customer_key_file;
    if (any && s.backend != storage_backend::s3)
        invalid(origin, "storage.server_side_encryption",
                "server-side encryption keys apply to the s3 backend only",
                "remove them, or use backend: s3");
    if (!mode) {
        if (any)
            missing(
                origin, "storage.server_side_encryption",
                "an SSE key is set but no mode: add server_side_encryption: aws:kms or customer");
        return;
    }
    static const std::set<std::string> modes = {"none", "AES256", "aws:kms", "customer", "SSE-C"};
    if (!modes.contains(*mode))
        invalid(origin, "storage.server_side_encryption",
                "server_side_encryption " + echo(*mode) + " is not known",
                "use AES256 (SSE-S3), aws:kms (SSE-KMS) or customer (SSE-C)");
    if (s.sse_kms_key_id && *mode != "aws:kms")
        invalid(origin, "storage.sse_kms_key_id", "sse_kms_key_id is set but the mode is " + *mode,
                "set server_side_encryption: aws:kms, or remove sse_kms_key_id");
    if (s.sse_customer_key_file && *mode != "customer" && *mode != "SSE-C")
        invalid(origin, "storage.sse_customer_key_file",
                "sse_customer_key_file is set but the mode is " + *mode,
                "set server_side_encryption: customer, or remove sse_customer_key_file");
}

void validate_storage(const storage_config& s, const std::string& origin) {
    check_sse(s, origin);
    switch (s.backend) {
        case storage_backend::s3:
            if (s.bucket.empty()) missing(origin, "storage.bucket", "an s3 backend needs a bucket");
            check_prefix(s.prefix, origin);
            check_endpoint(s, origin);
            if (s.part_size < (5ull << 20) || s.part_size > max_part_bytes)
                invalid(origin, "storage.part_size",
                        "part_size must be 5 MiB to 5 GiB (an S3 rule), not " +
                            std::to_string(s.part_size));
            if (s.max_parts_in_flight == 0)
                invalid(origin, "storage.max_parts_in_flight", "max_parts_in_flight must be > 0");
            return;
        case storage_backend::gcs:
            if (s.bucket.empty()) missing(origin, "storage.bucket", "a gcs backend needs a bucket");
            check_prefix(s.prefix, origin);
            return;
        case storage_backend::filesystem:
            if (s.path.empty())
                missing(origin, "storage.path", "a filesystem backend needs a directory");
            check_prefix(s.prefix, origin);
            return;
        case storage_backend::azure:
            validate_azure(s, origin);
            return;
        default:
            invalid(origin, "storage.backend",
                    std::string("storage backend '") + to_string(s.backend) +
                        "' is not supported by this build",
                    "use s3 (also for MinIO and other S3-compatible stores) or filesystem");
    }
}

void validate_cluster(const kafka_cluster& c, const std::string& section,
                      const std::string& origin) {
    check_servers(c, section, origin);
    validate_sasl(c.security, section + ".security", origin);
    validate_tls(c.security, section + ".security", origin);
    topic_selector check(c.topics, false, section + ".topics");  // throws on a bad regex
    if (c.connection.connections_per_broker == 0)
        invalid(origin, section + ".connection.connections_per_broker",
                "connections_per_broker must be > 0");
}

void validate(const config& c, mode m) {
    if (c.mode && *c.mode != m)
        invalid(c.origin, "mode",
                std::string("the config is for mode '") + to_string(*c.mode) + "' but this is a " +
                    to_string(m),
                std::string("run 'kafka-backup ") + to_string(*c.mode) + "', or change 'mode'");
    validate_backup_id(c.backup_id, c.origin);
    if (!c.storage)
        missing(c.origin, "storage", "say where backups live (backend: s3 or filesystem)");
    validate_storage(*c.storage, c.origin);
    const char* section = m == mode::backup ? "source" : "target";
    const auto& cluster = m == mode::backup ? c.source : c.target;
    if (!cluster) missing(c.origin, section, "give the Kafka cluster's bootstrap_servers");
    validate_cluster(*cluster, section, c.origin);
    if (m == mode::backup)
        validate_backup(c.backup, c.origin);
    else
        validate_restore(c.restore, c.origin);
    if (c.engine.memory_budget < (1ull << 20) || c.engine.memory_budget > max_memory_budget)
        invalid(
            c.origin, "engine.memory_budget",
            "memory_budget must be 1 MiB to 1 TiB, not " + std::to_string(c.engine.memory_budget));
    if (c.engine.retry_deadline_secs &&
        (*c.engine.retry_deadline_secs < 1 || *c.engine.retry_deadline_secs > max_retry_deadline))
        invalid(c.origin, "engine.retry_deadline_secs",
                "retry_deadline_secs must be 1 to 86400 (one day), not " +
                    std::to_string(*c.engine.retry_deadline_secs));
    if (c.engine.shards > max_shards)
        invalid(c.origin, "engine.shards", "shards must be at most 1024");
    if (c.metrics && c.metrics->enabled) check_metrics(*c.metrics, c.origin);
}

std::chrono::seconds retry_deadline(const engine_config& e, bool continuous) {
    if (e.retry_deadline_secs) return std::chrono::seconds(*e.retry_deadline_secs);
    return continuous ? std::chrono::minutes(5) : std::chrono::seconds(60);
}

}  // namespace kb::config
