#pragma once
// Classifying GCS failures at the backend's edge. An HTTP error response (with
// its JSON {"error": {...}} body when there is one) or a transport failure
// becomes a kb::error whose class says what to do and whose message names the
// bucket/object/endpoint and GCS's reason, never a token or a key.

#include <kb/runtime/error.hpp>

#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>

namespace kb::storage::gcs {

struct error_context {
    std::string operation;  // "objects.insert", "objects.get", ...
    std::string bucket;
    std::string key;  // full object name; empty for bucket-level calls
    std::string endpoint;
    // Set by the client when a buckets.get after an object's 404 found no bucket
    // either: GCS words both 404s alike ("notFound"), so only asking tells them apart.
    bool bucket_missing = false;
};

// 404 -> not_found: code "NoSuchBucket" (reason bucket_missing) for a bucket-level
// call or when ctx.bucket_missing, else "NotFound" (object_missing); 401/403 -> auth; 412 -> fatal
// "PreconditionFailed"; 408, 429, 5xx
// -> retryable; anything else -> fatal.
kb::error gcs_error(unsigned status, std::string_view body, const error_context& ctx);

// The class alone, from the status.
error_class classify_status(unsigned status);

// Socket, TLS and parser failures: timeouts, resets and refusals are retryable;
// certificate failures, unresolvable hosts and oversized responses are fatal.
kb::error transport_error(const boost::system::error_code& ec, const error_context& ctx);

}  // namespace kb::storage::gcs
