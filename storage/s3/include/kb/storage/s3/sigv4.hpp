#pragma once
// AWS Signature Version 4 for S3, as pure functions (no clock, no I/O), so the
// signer is tested against AWS's published examples byte for byte.
//
// Flow: canonical_request -> string_to_sign -> HMAC with signing_key -> the
// Authorization header. The caller decides the payload hash: the hex SHA-256 of
// the body (required over plain HTTP, where nothing else protects it), or
// UNSIGNED-PAYLOAD (allowed over HTTPS, where TLS does).

#include <kb/storage/s3/digest.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::storage::s3::sigv4 {

inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct credentials {
    std::string access_key;
    std::string secret_key;
    std::string session_token;  // temporary credentials only
};

struct header {
    std::string name;  // any case; canonicalised to lower case
    std::string value;
};

// Query parameters raw (not yet percent-encoded); a bare flag like `?uploads` has "".
using query_params = std::vector<std::pair<std::string, std::string>>;

struct request {
    std::string method;         // "GET", "PUT", ...
    std::string canonical_uri;  // the path as sent, already percent-encoded: "/test%24file.text"
    query_params query;
    std::vector<header> headers;  // every header to sign; must include host and x-amz-date
    std::string payload_hash;     // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
};

// RFC 3986 percent-encoding as SigV4 defines it: unreserved characters pass,
// everything else is %XX (upper-case hex); '/' passes unless `encode_slash`.
std::string uri_encode(std::string_view text, bool encode_slash);

// name=value pairs, each side uri_encode()d, sorted by name then value, '&'-joined.
std::string canonical_query(const query_params& query);
// "name:value\n" per header (lower-case names, trimmed and space-collapsed values, sorted).
std::string canonical_headers(const std::vector<header>& headers);
// Lower-case header names, sorted, ';'-joined.
std::string signed_headers(const std::vector<header>& headers);

std::string canonical_request(const request& r);
// "20130524/us-east-1/s3/aws4_request"
std::string credential_scope(std::string_view amz_date, std::string_view region,
                             std::string_view service = "s3");
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);
digest256 signing_key(std::string_view secret_key, std::string_view yyyymmdd,
                      std::string_view region, std::string_view service = "s3");
// Hex signature of `r` made at `amz_date` ("20130524T000000Z").
std::string signature(const request& r, const credentials& c, std::string_view amz_date,
                      std::string_view region);
// The full Authorization header value.
std::string authorization(const request& r, const credentials& c, std::string_view amz_date,
                          std::string_view region);

// ISO 8601 basic format used by x-amz-date: "20130524T000000Z".
std::string amz_date(std::chrono::system_clock::time_point t);

}  // namespace kb::storage::s3::sigv4
