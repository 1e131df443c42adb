// Credential resolution: explicit config, then the environment, then the shared
// credentials file. Messages name where credentials were looked for, never values.

#include <kb/storage/s3/s3_backend.hpp>

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <map>

namespace kb::storage::s3 {
namespace {

using profile = std::map<std::string, std::string>;

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

// The `key = value` lines of section [name] of an INI-style credentials file.
std::optional<profile> read_profile(const std::string& path, const std::string& name) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::optional<profile> found;
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        auto t = trim(line);
        if (t.empty() || t.starts_with('#') || t.starts_with(';')) continue;
        if (t.starts_with('[') && t.ends_with(']')) {
            inside = trim(std::string_view(t).substr(1, t.size() - 2)) == name;
            if (inside && !found) found.emplace();
            continue;
        }
        auto eq = t.find('=');
        if (inside && eq != std::string::npos)
            (*found)[trim(t.substr(0, eq))] = trim(t.substr(eq + 1));
    }
    return found;
}

std::string value_or_empty(const std::optional<std::string>& v) {
    return v.value_or("");
}

bool from_env(s3_config& cfg, const env_lookup& env) {
    auto id = value_or_empty(env("AWS_ACCESS_KEY_ID"));
    auto secret = value_or_empty(env("AWS_SECRET_ACCESS_KEY"));
    if (id.empty() || secret.empty()) return false;
    cfg.access_key = id;
    cfg.secret_key = secret;
    cfg.session_token = value_or_empty(env("AWS_SESSION_TOKEN"));
    log::debug("s3.credentials", "using AWS_ACCESS_KEY_ID from the environment");
    return true;
}

std::string credentials_path(const env_lookup& env) {
    auto file = value_or_empty(env("AWS_SHARED_CREDENTIALS_FILE"));
    if (!file.empty()) return file;
    auto home = value_or_empty(env("HOME"));
    return home.empty() ? std::string{} : home + "/.aws/credentials";
}

bool from_file(s3_config& cfg, const std::string& path, const std::string& name) {
    auto p = path.empty() ? std::nullopt : read_profile(path, name);
    if (!p || (*p)["aws_access_key_id"].empty() || (*p)["aws_secret_access_key"].empty())
        return false;
    cfg.access_key = (*p)["aws_access_key_id"];
    cfg.secret_key = (*p)["aws_secret_access_key"];
    cfg.session_token = (*p)["aws_session_token"];
    log::debug("s3.credentials", "using profile '{}' from {}", name, path);
    return true;
}

}  // namespace

void resolve_credentials(s3_config& cfg, const env_lookup& env) {
    if (!cfg.access_key.empty() && !cfg.secret_key.empty()) return;
    if (!cfg.access_key.empty() || !cfg.secret_key.empty())
        throw kb::error(error_class::auth, "IncompleteCredentials",
                        "storage.access_key and storage.secret_key must be set together");
    if (from_env(cfg, env)) return;
    auto path = credentials_path(env);
    auto name = value_or_empty(env("AWS_PROFILE"));
    if (name.empty()) name = "default";
    if (from_file(cfg, path, name)) return;
    throw kb::error(error_class::auth, "NoCredentials",
                    fmt::format("no S3 credentials found: set storage.access_key and "
                                "storage.secret_key, or AWS_ACCESS_KEY_ID and "
                                "AWS_SECRET_ACCESS_KEY, or profile '{}' in {}",
                                name, path.empty() ? "~/.aws/credentials" : path));
}

namespace {

std::optional<std::string> process_env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}

}  // namespace

void resolve_credentials(s3_config& cfg) {
    resolve_credentials(cfg, process_env);
}

void resolve_endpoint(s3_config& cfg, const env_lookup& env) {
    if (!cfg.endpoint.empty()) return;
    for (const char* name : {"AWS_ENDPOINT_URL", "AWS_ENDPOINT"}) {
        auto v = value_or_empty(env(name));
        if (v.empty()) continue;
        cfg.endpoint = v;
        if (v.rfind("http://", 0) == 0) cfg.allow_http = true;
        log::debug("s3.endpoint", "endpoint {} from {}", v, name);
        return;
    }
}

void resolve_endpoint(s3_config& cfg) {
    resolve_endpoint(cfg, process_env);
}

}  // namespace kb::storage::s3
