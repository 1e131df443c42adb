#pragma once
// Classifying Blob service failures at the backend's edge, as the S3 backend
// does: an HTTP error answer (its x-ms-error-code header or XML <Error> body)
// or a transport failure becomes a kb::error whose class says what to do and
// whose message names the operation, the blob URL and the service's code and
// message, never a secret.

#include <kb/runtime/error.hpp>

#include <string>
#include <string_view>

namespace kb::storage::azure {

// Where a failing request went; used only to word messages.
struct error_context {
    std::string operation;  // "Put Blob", "Put Block #3", "List Blobs", ...
    std::string account;
    std::string container;
    std::string blob;      // full blob name; empty for container-level calls
    std::string endpoint;  // the account URL
};

// BlobNotFound/404 -> not_found; ContainerNotFound -> not_found naming the
// container; AuthenticationFailed/AuthorizationFailure/403 -> auth; 5xx, 429,
// ServerBusy, OperationTimedOut, Md5Mismatch -> retryable; anything else
// (ConditionNotMet, BlobAlreadyExists, InvalidBlockList, ...) -> fatal.
error_class classify_code(std::string_view code, unsigned status);

// `header_code` is the x-ms-error-code header (empty when absent).
kb::error blob_error(unsigned status, std::string_view header_code, std::string_view body,
                     const error_context& ctx);

// Socket, TLS and HTTP-parser failures: timeouts, resets, refused connections
// are retryable; certificate failures, unresolvable hosts and oversized
// responses are fatal.
kb::error transport_error(const boost::system::error_code& ec, const error_context& ctx);

}  // namespace kb::storage::azure
