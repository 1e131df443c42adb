#pragma once
// Building GCS JSON API requests apart from doing them: where they go (host,
// port, TLS), their request-targets, and how an object of unknown size is cut
// into resumable-upload chunks. Pure functions, unit-tested without sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::storage::gcs {

// "https://storage.googleapis.com", "http://127.0.0.1:55000".
struct endpoint {
    bool tls = true;
    std::string host;
    std::uint16_t port = 443;

    std::string authority() const;  // host[:port], default port omitted
    std::string url() const;        // scheme://authority
};

inline constexpr std::string_view default_endpoint_url = "https://storage.googleapis.com";

// Throws kb::error(fatal, "InvalidEndpoint") on anything but http(s)://host[:port][/].
endpoint parse_endpoint(std::string_view url);
// STORAGE_EMULATOR_HOST is "host:port" or a URL; a bare host:port is plain http.
std::string emulator_url(std::string_view emulator_host);

// RFC 3986 percent-encoding of everything but unreserved characters (so '/' in
// an object name becomes %2F, as the JSON API requires in a path segment).
std::string percent_encode(std::string_view s);

// The root prefix joined with a relative key: ("a/b", "k") -> "a/b/k".
std::string join_key(std::string_view prefix, std::string_view key);

// Request-targets (path and query) of the JSON API calls we make.
std::string bucket_target(std::string_view bucket);  // buckets.get: does it exist?
std::string object_target(std::string_view bucket, std::string_view name);  // metadata, DELETE
std::string media_target(std::string_view bucket, std::string_view name);   // alt=media
// uploadType=media; with create_only, ifGenerationMatch=0 (fails with 412 if it exists).
std::string simple_upload_target(std::string_view bucket, std::string_view name,
                                 bool create_only = false);
std::string resumable_start_target(std::string_view bucket, std::string_view name);
std::string list_target(std::string_view bucket, std::string_view prefix,
                        const std::optional<std::string>& page_token, int max_results);

// The request-target of a resumable session from its Location header (an
// absolute URL on real GCS and on the emulator); empty when it is not one.
std::string target_of_location(std::string_view location);

// "bytes=0-99" for a ranged media download.
std::string range_header(std::uint64_t offset, std::uint64_t length);

// Non-final chunks of a resumable upload must be multiples of 256 KiB.
inline constexpr std::uint64_t chunk_granularity = 256 * 1024;

// Of `available` bytes (held-back remainder + a new part), how many to send now
// as a non-final chunk (a multiple of the granularity) and how many to keep for
// the next chunk or the final one.
struct chunk_plan {
    std::uint64_t send = 0;
    std::uint64_t keep = 0;
};
chunk_plan plan_chunk(std::uint64_t available);

// Content-Range of a chunk: "bytes 0-262143/*" (more to come), "bytes 0-99/100"
// (final), "bytes */100" (finalise with no bytes left to send).
std::string content_range(std::uint64_t offset, std::uint64_t length,
                          std::optional<std::uint64_t> total);

}  // namespace kb::storage::gcs
