#include <kb/storage/gcs/request.hpp>

#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace kb::storage::gcs {
namespace {

[[noreturn]] void bad_endpoint(std::string_view url, std::string_view why) {
    throw kb::error(error_class::fatal, "InvalidEndpoint",
                    fmt::format("GCS endpoint '{}' {}: write http(s)://host[:port]", url, why));
}

bool unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string bucket_path(std::string_view bucket) {
    return "/storage/v1/b/" + percent_encode(bucket);
}

std::string upload_path(std::string_view bucket) {
    return "/upload/storage/v1/b/" + percent_encode(bucket) + "/o";
}

}  // namespace

std::string endpoint::authority() const {
    bool default_port = (tls && port == 443) || (!tls && port == 80);
    return default_port ? host : fmt::format("{}:{}", host, port);
}

std::string endpoint::url() const {
    return (tls ? "https://" : "http://") + authority();
}

endpoint parse_endpoint(std::string_view url) {
    endpoint ep;
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        ep.tls = false;
        ep.port = 80;
        rest = url.substr(7);
    } else {
        bad_endpoint(url, "has no http:// or https:// scheme");
    }
    while (rest.ends_with('/')) rest.remove_suffix(1);
    if (rest.find_first_of("/?#@") != std::string_view::npos)
        bad_endpoint(url, "has a path, query or user-info");
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
        auto digits = rest.substr(colon + 1);
        unsigned port = 0;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec != std::errc{} || p != digits.data() + digits.size() || port == 0 || port > 65535)
            bad_endpoint(url, "has a bad port");
        ep.port = static_cast<std::uint16_t>(port);
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) bad_endpoint(url, "names no host");
    ep.host = std::string(rest);
    return ep;
}

std::string emulator_url(std::string_view emulator_host) {
    while (emulator_host.ends_with('/')) emulator_host.remove_suffix(1);
    if (emulator_host.starts_with("http://") || emulator_host.starts_with("https://"))
        return std::string(emulator_host);
    return "http://" + std::string(emulator_host);
}

std::string percent_encode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (unreserved(c))
            out += ch;
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string join_key(std::string_view prefix, std::string_view key) {
    if (prefix.empty()) return std::string(key);
    return std::string(prefix) + "/" + std::string(key);
}

std::string bucket_target(std::string_view bucket) {
    return bucket_path(bucket);
}

std::string object_target(std::string_view bucket, std::string_view name) {
    return bucket_path(bucket) + "/o/" + percent_encode(name);
}

std::string media_target(std::string_view bucket, std::string_view name) {
    return object_target(bucket, name) + "?alt=media";
}

std::string simple_upload_target(std::string_view bucket, std::string_view name, bool create_only) {
    auto t = upload_path(bucket) + "?uploadType=media&name=" + percent_encode(name);
    return create_only ? t + "&ifGenerationMatch=0" : t;
}

std::string resumable_start_target(std::string_view bucket, std::string_view name) {
    return upload_path(bucket) + "?uploadType=resumable&name=" + percent_encode(name);
}

std::string list_target(std::string_view bucket, std::string_view prefix,
                        const std::optional<std::string>& page_token, int max_results) {
    auto t = fmt::format("{}/o?maxResults={}", bucket_path(bucket), max_results);
    if (!prefix.empty()) t += "&prefix=" + percent_encode(prefix);
    if (page_token) t += "&pageToken=" + percent_encode(*page_token);
    return t;
}

std::string target_of_location(std::string_view location) {
    auto scheme = location.find("://");
    if (scheme == std::string_view::npos)
        return location.starts_with('/') ? std::string(location) : "";
    auto slash = location.find('/', scheme + 3);
    return slash == std::string_view::npos ? "" : std::string(location.substr(slash));
}

std::string range_header(std::uint64_t offset, std::uint64_t length) {
    return fmt::format("bytes={}-{}", offset, offset + length - 1);
}

chunk_plan plan_chunk(std::uint64_t available) {
    auto send = available / chunk_granularity * chunk_granularity;
    return {send, available - send};
}

std::string content_range(std::uint64_t offset, std::uint64_t length,
                          std::optional<std::uint64_t> total) {
    auto of = total ? std::to_string(*total) : std::string("*");
    if (length == 0) return "bytes */" + of;
    return fmt::format("bytes {}-{}/{}", offset, offset + length - 1, of);
}

}  // namespace kb::storage::gcs
