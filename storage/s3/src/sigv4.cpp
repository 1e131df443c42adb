#include <kb/storage/s3/sigv4.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace kb::storage::s3::sigv4 {
namespace {

bool unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Header values are trimmed and inner runs of spaces collapse to one.
std::string canonical_value(std::string_view v) {
    std::string out;
    bool pending_space = false;
    for (char c : v) {
        if (c == ' ' || c == '\t') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

// Sorted (name, value) with lower-case names; repeated names join their values with ','.
std::vector<std::pair<std::string, std::string>> sorted_headers(const std::vector<header>& hs) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& h : hs) out.emplace_back(lower(h.name), canonical_value(h.value));
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<std::string, std::string>> merged;
    for (auto& h : out) {
        if (!merged.empty() && merged.back().first == h.first)
            merged.back().second += fmt::format(",{}", h.second);
        else
            merged.push_back(std::move(h));
    }
    return merged;
}

std::span<const std::byte> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace

std::string uri_encode(std::string_view text, bool encode_slash) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (unreserved(c) || (c == '/' && !encode_slash)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 0xF]);
        }
    }
    return out;
}

std::string canonical_query(const query_params& query) {
    std::vector<std::pair<std::string, std::string>> encoded;
    for (const auto& [k, v] : query) encoded.emplace_back(uri_encode(k, true), uri_encode(v, true));
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [k, v] : encoded) {
        if (!out.empty()) out.push_back('&');
        out += k + "=" + v;
    }
    return out;
}

std::string canonical_headers(const std::vector<header>& headers) {
    std::string out;
    for (const auto& [name, value] : sorted_headers(headers)) out += name + ":" + value + "\n";
    return out;
}

std::string signed_headers(const std::vector<header>& headers) {
    std::string out;
    for (const auto& h : sorted_headers(headers)) {
        if (!out.empty()) out.push_back(';');
        out += h.first;
    }
    return out;
}

std::string canonical_request(const request& r) {
    return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", r.method, r.canonical_uri,
                       canonical_query(r.query), canonical_headers(r.headers),
                       signed_headers(r.headers), r.payload_hash);
}

std::string credential_scope(std::string_view amz_date, std::string_view region,
                             std::string_view service) {
    return fmt::format("{}/{}/{}/aws4_request", amz_date.substr(0, 8), region, service);
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
    return fmt::format("AWS4-HMAC-SHA256\n{}\n{}\n{}", amz_date, scope,
                       sha256_hex(canonical_request));
}

digest256 signing_key(std::string_view secret_key, std::string_view yyyymmdd,
                      std::string_view region, std::string_view service) {
    auto seed = fmt::format("AWS4{}", secret_key);
    auto k_date = hmac_sha256(bytes_of(seed), yyyymmdd);
    auto k_region = hmac_sha256(k_date, region);
    auto k_service = hmac_sha256(k_region, service);
    return hmac_sha256(k_service, "aws4_request");
}

std::string signature(const request& r, const credentials& c, std::string_view amz_date,
                      std::string_view region) {
    auto scope = credential_scope(amz_date, region);
    auto to_sign = string_to_sign(amz_date, scope, canonical_request(r));
    auto key = signing_key(c.secret_key, amz_date.substr(0, 8), region);
    return hex(hmac_sha256(key, to_sign));
}

std::string authorization(const request& r, const credentials& c, std::string_view amz_date,
                          std::string_view region) {
    return fmt::format("AWS4-HMAC-SHA256 Credential={}/{},SignedHeaders={},Signature={}",
                       c.access_key, credential_scope(amz_date, region), signed_headers(r.headers),
                       signature(r, c, amz_date, region));
}

std::string amz_date(std::chrono::system_clock::time_point t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&tt, &utc);
    char buf[32];
    auto n = std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &utc);
    return std::string(buf, n);
}

}  // namespace kb::storage::s3::sigv4
