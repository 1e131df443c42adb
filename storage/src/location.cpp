#include <kb/storage/location.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace kb::storage {
namespace {

// The text as typed, with the values of credential query keys hidden.
std::string redacted(std::string_view text) {
    std::string out(text);
    for (const char* key :
         {"access_key=", "secret_key=", "session_token=", "account_key=", "sas_token="}) {
        for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + 1)) {
            auto start = pos + std::string_view(key).size();
            auto end = out.find('&', start);
            out.replace(start, (end == std::string::npos ? out.size() : end) - start, "***");
        }
    }
    return out;
}

[[noreturn]] void bad(std::string_view text, const std::string& why) {
    throw std::invalid_argument(
        fmt::format("invalid storage location '{}': {}", redacted(text), why));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding for query values (an endpoint may arrive as http%3A%2F%2F...).
std::string percent_decode(std::string_view whole, std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
        int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) bad(whole, fmt::format("bad percent escape in '{}'", s));
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

bool parse_bool(std::string_view whole, std::string_view key, const std::string& v) {
    if (v == "true" || v == "1" || v == "yes") return true;
    if (v == "false" || v == "0" || v == "no") return false;
    bad(whole, fmt::format("{} must be true or false, got '{}'", key, v));
}

// S3 bucket naming rules (the subset that matters for URLs and hosts).
void check_bucket(std::string_view whole, const std::string& b) {
    if (b.size() < 3 || b.size() > 63)
        bad(whole, fmt::format("bucket name '{}' must be 3 to 63 characters", b));
    auto ok = [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
    };
    if (!std::all_of(b.begin(), b.end(), ok))
        bad(whole, fmt::format("bucket name '{}' may hold only a-z, 0-9, '-' and '.'", b));
}

void check_endpoint(std::string_view whole, const std::string& e) {
    bool http = e.starts_with("http://"), https = e.starts_with("https://");
    if (!http && !https)
        bad(whole, fmt::format("endpoint '{}' must start with http:// or https://", e));
    auto host = e.substr(http ? 7 : 8);
    if (host.empty() || host.front() == '/')
        bad(whole, fmt::format("endpoint '{}' has no host", e));
}

std::string trim_slashes(std::string s) {
    while (!s.empty() && s.front() == '/') s.erase(0, 1);
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

// Calls apply(key, decoded value) for each key=value of a query string.
template <typename Apply>
void for_each_query_pair(std::string_view whole, std::string_view query, Apply apply) {
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto eq = pair.find('=');
        if (eq == std::string_view::npos)
            bad(whole, fmt::format("query part '{}' has no '='", pair));
        apply(std::string(pair.substr(0, eq)), percent_decode(whole, pair.substr(eq + 1)));
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
}

// "ROOT/PRE/FIX?QUERY" (after the scheme) -> bucket or container, prefix, query.
struct url_parts {
    std::string root;
    std::string prefix;
    std::string_view query;  // empty when there is none
};

url_parts split_url(std::string_view rest) {
    url_parts out;
    auto q = rest.find('?');
    std::string_view target = rest.substr(0, q);
    auto slash = target.find('/');
    out.root = std::string(target.substr(0, slash));
    if (slash != std::string_view::npos)
        out.prefix = trim_slashes(std::string(target.substr(slash)));
    if (q != std::string_view::npos) out.query = rest.substr(q + 1);
    return out;
}

// A query key that is not taken: a credential (never in a URL: it ends up in shell
// history and logs) or one this scheme does not know.
[[noreturn]] void refuse_query_key(std::string_view whole, const std::string& key, bool secret,
                                   std::string_view credentials_from, std::string_view known) {
    if (secret)
        bad(whole, fmt::format("credentials ({}) are not accepted in the URL; use {}", key,
                               credentials_from));
    bad(whole, fmt::format("unknown query key '{}' (known: {})", key, known));
}

void apply_query_pair(std::string_view whole, location& loc, const std::string& key,
                      const std::string& value, bool& http_explicit) {
    if (key == "endpoint") {
        loc.endpoint = value;
    } else if (key == "region") {
        if (value.empty()) bad(whole, "region is empty");
        loc.region = value;
    } else if (key == "path_style") {
        loc.path_style = parse_bool(whole, key, value);
    } else if (key == "allow_http") {
        loc.allow_http = parse_bool(whole, key, value);
        http_explicit = true;
    } else if (key == "ca_file") {
        loc.ca_file = value;
    } else {
        bool secret = key == "access_key" || key == "secret_key" || key == "session_token";
        refuse_query_key(whole, key, secret,
                         "the config file, flags or AWS_* environment variables",
                         "endpoint, region, path_style, allow_http, ca_file");
    }
}

void apply_azure_query_pair(std::string_view whole, location& loc, const std::string& key,
                            const std::string& value) {
    if (key == "account") {
        loc.account = value;
    } else if (key == "endpoint") {
        check_endpoint(whole, value);
        loc.endpoint = trim_slashes(value);
        if (loc.endpoint.starts_with("http://")) loc.allow_http = true;
    } else if (key == "allow_http") {
        loc.allow_http = parse_bool(whole, key, value);
    } else if (key == "ca_file") {
        loc.ca_file = value;
    } else {
        bool secret = key == "account_key" || key == "sas_token";
        refuse_query_key(whole, key, secret,
                         "the config file or AZURE_STORAGE_* environment variables",
                         "account, endpoint, allow_http, ca_file");
    }
}

// az://CONTAINER[/PREFIX][?account=ACCOUNT&endpoint=...]: without account= the
// backend takes it from AZURE_STORAGE_ACCOUNT or the connection string.
location parse_azure(std::string_view whole, std::string_view rest) {
    location loc;
    loc.kind = location::kind::azure;
    auto parts = split_url(rest);
    loc.container = std::move(parts.root);
    loc.prefix = std::move(parts.prefix);
    if (loc.container.empty()) bad(whole, "no container after az:// (az://CONTAINER/PREFIX)");
    for_each_query_pair(whole, parts.query, [&](const std::string& key, const std::string& value) {
        apply_azure_query_pair(whole, loc, key, value);
    });
    return loc;
}

location parse_s3(std::string_view whole, std::string_view rest) {
    location loc;
    loc.kind = location::kind::s3;
    auto parts = split_url(rest);
    loc.bucket = std::move(parts.root);
    loc.prefix = std::move(parts.prefix);
    if (loc.bucket.empty()) bad(whole, "no bucket after s3://");
    check_bucket(whole, loc.bucket);
    bool http_explicit = false;
    for_each_query_pair(whole, parts.query, [&](const std::string& key, const std::string& value) {
        apply_query_pair(whole, loc, key, value, http_explicit);
    });
    if (!loc.endpoint.empty()) {
        check_endpoint(whole, loc.endpoint);
        while (loc.endpoint.back() == '/') loc.endpoint.pop_back();  // host checked: not empty
        bool http = loc.endpoint.starts_with("http://");
        // An http:// endpoint is an explicit opt-in to plain HTTP, unless contradicted.
        if (http && http_explicit && !loc.allow_http)
            bad(whole,
                fmt::format("endpoint '{}' is plain http but allow_http=false", loc.endpoint));
        if (http) loc.allow_http = true;
    }
    return loc;
}

location parse_path(std::string_view whole, std::string path) {
    if (path.empty()) bad(whole, "empty path");
    if (path.find('\0') != std::string::npos) bad(whole, "path contains a NUL byte");
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    location loc;
    loc.kind = location::kind::filesystem;
    loc.path = std::move(path);
    return loc;
}

}  // namespace

location parse_location(std::string_view text) {
    if (text.empty()) bad(text, "empty location");
    if (text.starts_with("s3://")) return parse_s3(text, text.substr(5));
    // GCS buckets follow the same naming rules; the query keys that matter are
    // endpoint (an emulator) and ca_file.
    for (std::string_view gs : {"gs://", "gcs://"}) {
        if (!text.starts_with(gs)) continue;
        auto loc = parse_s3(text, text.substr(gs.size()));
        loc.kind = location::kind::gcs;
        return loc;
    }
    if (text.starts_with("az://")) return parse_azure(text, text.substr(5));
    if (text.starts_with("file://")) {
        auto rest = text.substr(7);
        if (!rest.starts_with("/"))
            bad(text,
                "file:// URLs must name an absolute local path (file:///dir); hosts are "
                "not supported");
        return parse_path(text, percent_decode(text, rest));
    }
    auto scheme = text.find("://");
    if (scheme != std::string_view::npos)
        bad(text,
            fmt::format("unsupported scheme '{}' (use a path, file://, s3://, gs:// or az://)",
                        text.substr(0, scheme)));
    return parse_path(text, std::string(text));
}

std::string describe(const location& loc) {
    if (loc.kind == location::kind::filesystem) return loc.path;
    if (loc.kind == location::kind::gcs) {
        std::string g = "gs://" + loc.bucket + (loc.prefix.empty() ? "" : "/" + loc.prefix);
        return loc.endpoint.empty() ? g : g + " (endpoint " + loc.endpoint + ")";
    }
    if (loc.kind == location::kind::azure) {
        std::string s = "az://" + loc.container + (loc.prefix.empty() ? "" : "/" + loc.prefix);
        std::string account = loc.account.empty() ? "from the environment" : loc.account;
        return s + " (account " + account +
               (loc.endpoint.empty() ? "" : ", endpoint " + loc.endpoint) + ")";
    }
    std::string s = "s3://" + loc.bucket;
    if (!loc.prefix.empty()) s += "/" + loc.prefix;
    std::string details = loc.endpoint.empty() ? "" : "endpoint " + loc.endpoint + ", ";
    details += "region " + loc.region;
    if (loc.path_style) details += ", path-style";
    return s + " (" + details + ")";
}

}  // namespace kb::storage
