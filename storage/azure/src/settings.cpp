#include <kb/storage/azure/settings.hpp>

#include <kb/runtime/error.hpp>
#include <kb/storage/http/digest.hpp>

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace kb::storage::azure {
namespace {

[[noreturn]] void bad_config(const std::string& message) {
    throw kb::error(error_class::fatal, "InvalidConfig", message);
}

[[noreturn]] void bad_endpoint(std::string_view url, std::string_view why) {
    throw kb::error(error_class::fatal, "InvalidEndpoint",
                    fmt::format("invalid Azure endpoint '{}': {}", url, why));
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

void apply_pair(connection_string& cs, std::string_view key, std::string value) {
    if (iequals(key, "AccountName"))
        cs.account = std::move(value);
    else if (iequals(key, "AccountKey"))
        cs.account_key = std::move(value);
    else if (iequals(key, "SharedAccessSignature"))
        cs.sas_token = std::move(value);
    else if (iequals(key, "BlobEndpoint"))
        cs.blob_endpoint = std::move(value);
    else if (iequals(key, "DefaultEndpointsProtocol"))
        cs.protocol = std::move(value);
    else if (iequals(key, "EndpointSuffix"))
        cs.endpoint_suffix = std::move(value);
    else if (iequals(key, "UseDevelopmentStorage"))
        cs.development_storage = iequals(value, "true");
    // Other services' endpoints (QueueEndpoint, TableEndpoint, ...) do not concern blobs.
}

std::uint16_t parse_port(std::string_view url, std::string_view text) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
        bad_endpoint(url, "the port is not a number in 1..65535");
    return static_cast<std::uint16_t>(value);
}

bool is_ip_or_localhost(std::string_view host) {
    if (host == "localhost" || host.find(':') != std::string_view::npos) return true;
    return !host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos;
}

std::optional<std::string> env_value(const env_lookup& env, const char* name) {
    auto v = env(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
}

void fill_from_connection_string(azure_config& cfg, const connection_string& cs) {
    if (cs.development_storage) cfg.use_emulator = true;
    // Credentials belong to the account they name: another account's key is no use.
    bool same_account = cfg.account.empty() || cs.account.empty() || cs.account == cfg.account;
    if (!same_account) return;
    if (cfg.account.empty()) cfg.account = cs.account;
    if (cfg.account_key.empty() && cfg.sas_token.empty()) {
        cfg.account_key = cs.account_key;
        cfg.sas_token = cs.sas_token;
    }
    if (cfg.endpoint.empty() && !cs.blob_endpoint.empty()) {
        cfg.endpoint = cs.blob_endpoint;
        cfg.allow_http = cfg.allow_http || cs.blob_endpoint.starts_with("http://");
    }
    if (cfg.endpoint.empty() && !cs.account.empty() && !cs.development_storage)
        cfg.endpoint = fmt::format("{}://{}.blob.{}", cs.protocol, cs.account, cs.endpoint_suffix);
}

void fill_from_environment(azure_config& cfg, const env_lookup& env) {
    if (auto cs = env_value(env, "AZURE_STORAGE_CONNECTION_STRING"))
        fill_from_connection_string(cfg, parse_connection_string(*cs));
    if (cfg.account.empty())
        if (auto a = env_value(env, "AZURE_STORAGE_ACCOUNT")) cfg.account = *a;
    if (cfg.account_key.empty() && cfg.sas_token.empty()) {
        auto key = env_value(env, "AZURE_STORAGE_KEY");
        if (!key) key = env_value(env, "AZURE_STORAGE_ACCOUNT_KEY");
        if (key) cfg.account_key = *key;
        if (auto sas = env_value(env, "AZURE_STORAGE_SAS_TOKEN")) cfg.sas_token = *sas;
    }
}

void fill_emulator_defaults(azure_config& cfg, const env_lookup& env) {
    if (cfg.account.empty()) cfg.account = emulator_account;
    if (cfg.account_key.empty() && cfg.sas_token.empty()) cfg.account_key = emulator_key;
    if (cfg.endpoint.empty())
        cfg.endpoint =
            env_value(env, "AZURITE_BLOB_STORAGE_URL").value_or("http://127.0.0.1:10000");
    cfg.allow_http = true;
}

void check_credentials(const azure_config& cfg) {
    if (!cfg.sas_token.empty()) {
        normalized_sas(cfg.sas_token);  // throws on a malformed token
        return;
    }
    if (cfg.account_key.empty())
        throw kb::error(error_class::auth, "NoCredentials",
                        fmt::format("no credentials for Azure storage account '{}': set "
                                    "storage.account_key or storage.sas_token, or "
                                    "AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN or "
                                    "AZURE_STORAGE_CONNECTION_STRING (service principal, "
                                    "workload and managed identity are not supported)",
                                    cfg.account));
    if (!http::base64_decode(cfg.account_key))
        bad_config(
            fmt::format("the account key for Azure storage account '{}' is not base64 "
                        "(copy it whole from the portal or `az storage account keys list`)",
                        cfg.account));
}

}  // namespace

connection_string parse_connection_string(std::string_view text) {
    connection_string cs;
    while (!text.empty()) {
        auto semi = text.find(';');
        auto part = text.substr(0, semi);
        text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
        if (trimmed(part).empty()) continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos)
            throw kb::error(error_class::fatal, "InvalidConnectionString",
                            "the Azure connection string has a part without '=' (expected "
                            "Key=Value;Key=Value, e.g. AccountName=...;AccountKey=...)");
        apply_pair(cs, trimmed(part.substr(0, eq)), trimmed(part.substr(eq + 1)));
    }
    if (cs.development_storage) {
        if (cs.account.empty()) cs.account = emulator_account;
        if (cs.account_key.empty() && cs.sas_token.empty()) cs.account_key = emulator_key;
        if (cs.blob_endpoint.empty())
            cs.blob_endpoint = "http://127.0.0.1:10000/" + std::string(emulator_account);
    }
    return cs;
}

std::string account_url::authority() const {
    bool v6 = host.find(':') != std::string::npos;
    std::string h = v6 ? "[" + host + "]" : host;
    bool default_port = (tls && port == 443) || (!tls && port == 80);
    return default_port ? h : fmt::format("{}:{}", h, port);
}

std::string account_url::url() const {
    return (tls ? "https://" : "http://") + authority() + path;
}

account_url parse_account_url(std::string_view url) {
    account_url a;
    std::string_view rest = url;
    if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
        a.tls = false;
        a.port = 80;
    } else {
        bad_endpoint(url, "it must start with http:// or https://");
    }
    while (rest.ends_with('/')) rest.remove_suffix(1);
    if (rest.find_first_of("?#@") != std::string_view::npos)
        bad_endpoint(url, "only scheme://host[:port][/account] is allowed (no query or user)");
    auto slash = rest.find('/');
    auto auth = rest.substr(0, slash);
    if (slash != std::string_view::npos) a.path = std::string(rest.substr(slash));
    if (auth.starts_with('[')) {
        auto close = auth.find(']');
        if (close == std::string_view::npos) bad_endpoint(url, "unclosed '[' in the host");
        a.host = auth.substr(1, close - 1);
        auto tail = auth.substr(close + 1);
        if (tail.starts_with(':')) a.port = parse_port(url, tail.substr(1));
    } else {
        auto colon = auth.rfind(':');
        a.host = auth.substr(0, colon);
        if (colon != std::string_view::npos) a.port = parse_port(url, auth.substr(colon + 1));
    }
    if (a.host.empty()) bad_endpoint(url, "no host");
    return a;
}

std::string normalized_sas(std::string_view sas) {
    auto s = trimmed(sas);
    if (s.starts_with('?')) s.erase(0, 1);
    if (s.empty() || s.find('=') == std::string::npos || s.find_first_of(" #") != std::string::npos)
        bad_config(
            "storage.sas_token is not a SAS query string (expected e.g. "
            "sv=...&ss=b&srt=sco&sp=rwdlac&se=...&sig=..., as the portal shows it)");
    return s;
}

void resolve_settings(azure_config& cfg, const env_lookup& env) {
    fill_from_environment(cfg, env);
    if (cfg.use_emulator) fill_emulator_defaults(cfg, env);
    if (cfg.account.empty())
        bad_config(
            "storage.account_name is not set (nor AZURE_STORAGE_ACCOUNT or "
            "AZURE_STORAGE_CONNECTION_STRING): name the Azure storage account");
    if (cfg.container.empty())
        bad_config(
            "storage.container_name is not set: name the blob container (az://CONTAINER/...)");
    check_credentials(cfg);
    if (cfg.endpoint.empty())
        cfg.endpoint = fmt::format("https://{}.blob.core.windows.net", cfg.account);
    auto url = parse_account_url(cfg.endpoint);
    // Azurite serves accounts path-style: an emulator URL without a path gets the account.
    if (url.path.empty() && is_ip_or_localhost(url.host)) url.path = "/" + cfg.account;
    cfg.endpoint = url.url();
    if (!url.tls && !cfg.allow_http)
        bad_config(
            fmt::format("Azure endpoint {} is plain http: set storage.allow_http=true to "
                        "allow it (traffic and data are then unencrypted)",
                        cfg.endpoint));
    if (cfg.max_connections < 1) bad_config("storage.max_connections must be at least 1");
}

}  // namespace kb::storage::azure
