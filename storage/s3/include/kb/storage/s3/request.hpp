#pragma once
// Building S3 HTTP requests, apart from doing them: where a request goes (host,
// port, TLS), its path for path-style or virtual-hosted addressing, its query
// and its signed headers. Pure functions, unit-tested without sockets.

#include <kb/storage/s3/sigv4.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::s3 {

// An S3 endpoint: "http://127.0.0.1:9000", "https://s3.eu-west-1.amazonaws.com".
struct endpoint {
    bool tls = true;
    std::string host;  // without brackets for IPv6
    std::uint16_t port = 443;

    // host[:port], the port omitted when it is the scheme's default.
    std::string authority() const;
    std::string url() const;  // scheme://authority
};

// Throws kb::error (fatal, "InvalidEndpoint") on anything but http(s)://host[:port][/].
endpoint parse_endpoint(std::string_view url);
// AWS's regional endpoint, used when no endpoint is configured.
endpoint default_endpoint(std::string_view region);
// IPv4/IPv6 literals and "localhost" cannot carry a bucket sub-domain.
bool is_ip_or_localhost(std::string_view host);

struct addressing {
    endpoint ep;
    std::string bucket;
    bool path_style = false;
};

// A request ready to sign: method, Host header, encoded path, raw query, headers.
struct http_request {
    std::string method;
    std::string host;  // Host header value (bucket.endpoint for virtual-hosted)
    std::string path;  // percent-encoded
    sigv4::query_params query;
    std::vector<sigv4::header> headers;  // includes "host"

    // The request-target sent on the wire: path plus canonical query.
    std::string target() const;
    const std::string* find_header(std::string_view name) const;
};

// `key` is the full object key (backend prefix already applied); "" addresses the bucket.
http_request build_request(const addressing& a, std::string method, std::string_view key,
                           sigv4::query_params query = {});

// Adds x-amz-date, x-amz-content-sha256, x-amz-security-token (temporary
// credentials) and Authorization, signing every header present.
void sign_request(http_request& r, const sigv4::credentials& c, std::string_view region,
                  std::chrono::system_clock::time_point now, std::string payload_hash);

// The backend's root prefix joined with a relative key: ("a/b", "k") -> "a/b/k".
std::string join_key(std::string_view prefix, std::string_view key);

}  // namespace kb::storage::s3
