#include <kb/config/error.hpp>
#include <kb/config/storage_url.hpp>
#include <kb/runtime/echo.hpp>

#include "suggest.hpp"

#include <cctype>
#include <string>

namespace kb::config {
namespace {

using runtime::echo;

// Credentials in a URL end up in shell history, `ps`, logs and error messages:
// refuse them, without repeating them.
void refuse_userinfo(std::string_view url, const std::string& key) {
    if (!runtime::has_userinfo(url)) return;
    throw config_error(config_errc::invalid_value, key,
                       key +
                           " carries credentials (user-info before '@'); they are not "
                           "accepted in a URL and are not shown here",
                       "remove them and give AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or "
                       "storage.access_key/secret_key in a --config file");
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

bool parse_flag(const std::string& value, const std::string& name, const std::string& key) {
    if (value == "true" || value == "1" || value.empty()) return true;
    if (value == "false" || value == "0") return false;
    throw config_error(config_errc::invalid_value, key,
                       echo(name + "=" + value) + " in " + key + " is not a boolean",
                       "write " + name + "=true or " + name + "=false");
}

void apply_query(storage_config& s, std::string_view query, const std::string& key) {
    static const std::vector<std::string> known = {"endpoint", "region", "path_style", "allow_http",
                                                   "ca_file"};
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string name = percent_decode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        if (name == "endpoint") {
            refuse_userinfo(value, key + " (endpoint=)");
            s.endpoint = value;
        } else if (name == "region")
            s.region = value;
        else if (name == "path_style")
            s.path_style = parse_flag(value, name, key);
        else if (name == "allow_http")
            s.allow_http = parse_flag(value, name, key);
        else if (name == "ca_file")
            s.ssl_ca_location = value;
        else {
            auto guess = detail::closest(name, known);
            throw config_error(config_errc::unknown_key, key,
                               "unknown parameter " + echo(name) + " in " + key,
                               guess ? "did you mean '" + *guess + "'?"
                                     : "known parameters: " + detail::join(known));
        }
    }
    if (s.endpoint.rfind("http://", 0) == 0) s.allow_http = true;
}

// A bucket name is letters, digits, '.', '-' (and '_' in old AWS buckets). A
// ':' means credentials were written into the URL ("s3://KEY:SE/CRET@b": a '/'
// in the secret hides the '@' from has_userinfo): refused without showing them.
void check_bucket(const std::string& bucket, const std::string& key) {
    if (bucket.find(':') != std::string::npos) refuse_userinfo("s3://user@" + bucket, key);
    for (char ch : bucket) {
        auto c = static_cast<unsigned char>(ch);
        if (!std::isalnum(c) && c != '.' && c != '-' && c != '_')
            throw config_error(config_errc::invalid_value, key,
                               key + ": " + echo(bucket) + " is not a bucket name",
                               "write s3://BUCKET/PREFIX with letters, digits, '.' and '-'");
    }
}

storage_config parse_s3(std::string_view rest, const std::string& key) {
    storage_config s;
    s.backend = storage_backend::s3;
    auto q = rest.find('?');
    std::string_view location = rest.substr(0, q);
    auto slash = location.find('/');
    s.bucket = std::string(location.substr(0, slash));
    if (slash != std::string_view::npos) s.prefix = std::string(location.substr(slash + 1));
    while (!s.prefix.empty() && s.prefix.back() == '/') s.prefix.pop_back();
    if (s.bucket.empty())
        throw config_error(config_errc::missing_key, key, key + " names no bucket",
                           "write s3://BUCKET/PREFIX");
    check_bucket(s.bucket, key);
    if (q != std::string_view::npos) apply_query(s, rest.substr(q + 1), key);
    return s;
}

void apply_azure_query(storage_config& s, std::string_view query, const std::string& key) {
    static const std::vector<std::string> known = {"account", "endpoint", "use_emulator",
                                                   "allow_http", "ca_file"};
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string name = percent_decode(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        if (name == "account")
            s.azure.account_name = value;
        else if (name == "endpoint") {
            refuse_userinfo(value, key + " (endpoint=)");
            s.endpoint = value;
        } else if (name == "use_emulator")
            s.azure.use_emulator = parse_flag(value, name, key);
        else if (name == "allow_http")
            s.allow_http = parse_flag(value, name, key);
        else if (name == "ca_file")
            s.ssl_ca_location = value;
        else {
            auto guess = detail::closest(name, known);
            throw config_error(config_errc::unknown_key, key,
                               "unknown parameter " + echo(name) + " in " + key +
                                   (name == "sas_token" || name == "account_key"
                                        ? " (credentials are not accepted in a URL)"
                                        : ""),
                               guess ? "did you mean '" + *guess + "'?"
                                     : "known parameters: " + detail::join(known));
        }
    }
    if (s.endpoint.rfind("http://", 0) == 0) s.allow_http = true;
}

// Two forms. Ours: az://CONTAINER[/PREFIX]?account=ACCOUNT. OSO's:
// azure://ACCOUNT[.blob.core.windows.net]/CONTAINER (also az://), which we extend with a /PREFIX.
// Without ?account= the first part is OSO's account, so OSO's URLs mean what they meant there.
storage_config parse_azure(std::string_view rest, const std::string& key) {
    storage_config s;
    s.backend = storage_backend::azure;
    auto q = rest.find('?');
    if (q != std::string_view::npos) apply_azure_query(s, rest.substr(q + 1), key);
    std::vector<std::string> parts;
    std::string_view path = rest.substr(0, q);
    while (!path.empty()) {
        auto slash = path.find('/');
        auto part = path.substr(0, slash);
        if (!part.empty()) parts.emplace_back(part);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    }
    bool account_first = s.azure.account_name.empty();
    if (account_first && !parts.empty()) {
        auto host = parts.front();
        s.azure.account_name = host.substr(0, host.find('.'));
        parts.erase(parts.begin());
    }
    if (parts.empty())
        throw config_error(config_errc::missing_key, key, key + " names no blob container",
                           "write az://CONTAINER/PREFIX?account=ACCOUNT or "
                           "azure://ACCOUNT/CONTAINER/PREFIX");
    s.azure.container_name = parts.front();
    for (std::size_t i = 1; i < parts.size(); ++i) s.prefix += (i > 1 ? "/" : "") + parts[i];
    return s;
}

}  // namespace

storage_config parse_storage_url(std::string_view url, const std::string& key) {
    if (url.empty())
        throw config_error(config_errc::missing_key, key, key + " is empty",
                           "give a directory or s3://bucket/prefix");
    refuse_userinfo(url, key);
    if (url.rfind("s3://", 0) == 0) return parse_s3(url.substr(5), key);
    if (url.rfind("s3a://", 0) == 0) return parse_s3(url.substr(6), key);
    // gs://bucket/prefix (OSO writes gcs://): same shape; endpoint= names an emulator.
    for (std::string_view gs : {"gs://", "gcs://"}) {
        if (url.rfind(gs, 0) != 0) continue;
        auto s = parse_s3(url.substr(gs.size()), key);
        s.backend = storage_backend::gcs;
        return s;
    }
    if (url.rfind("az://", 0) == 0) return parse_azure(url.substr(5), key);
    if (url.rfind("azure://", 0) == 0) return parse_azure(url.substr(8), key);
    storage_config s;
    s.backend = storage_backend::filesystem;
    if (url.rfind("file://", 0) == 0) {
        s.path = percent_decode(url.substr(7));
        if (s.path.empty() || s.path.front() != '/')
            throw config_error(config_errc::invalid_value, key,
                               echo(url) + " is not an absolute file:// URL",
                               "write file:///absolute/path, or just the path");
        return s;
    }
    auto scheme = url.find("://");
    if (scheme != std::string_view::npos)
        throw config_error(
            config_errc::invalid_value, key,
            "storage scheme " + echo(url.substr(0, scheme)) + " is not supported by this build",
            "use a directory, file:///dir, s3://bucket/prefix, gs://bucket/prefix or "
            "az://container/prefix?account=A");
    s.path = std::string(url);
    return s;
}

std::string to_url(const storage_config& s) {
    switch (s.backend) {
        case storage_backend::filesystem:
            return s.prefix.empty() ? s.path : s.path + "/" + s.prefix;
        case storage_backend::memory:
            return "memory://";
        case storage_backend::gcs:
            return "gcs://" + s.bucket + (s.prefix.empty() ? "" : "/" + s.prefix);
        case storage_backend::azure:
            return "az://" + s.azure.container_name + (s.prefix.empty() ? "" : "/" + s.prefix) +
                   "?account=" + s.azure.account_name +
                   (s.endpoint.empty() ? "" : "&endpoint=" + s.endpoint);
        case storage_backend::s3:
            break;
    }
    std::string url = "s3://" + s.bucket + (s.prefix.empty() ? "" : "/" + s.prefix);
    std::string query;
    auto add = [&](const std::string& part) { query += (query.empty() ? "?" : "&") + part; };
    if (!s.endpoint.empty()) add("endpoint=" + s.endpoint);
    if (!s.region.empty()) add("region=" + s.region);
    if (s.path_style) add("path_style=true");
    return url + query;
}

}  // namespace kb::config
