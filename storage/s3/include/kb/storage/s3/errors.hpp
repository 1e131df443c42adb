#pragma once
// Classifying S3 failures at the backend's edge. An HTTP error response (with
// its XML <Error> body when there is one) or a transport failure becomes a
// kb::error whose class tells the caller what to do and whose message says
// which bucket/object/endpoint, S3's Code and Message, and never a secret.

#include <kb/runtime/error.hpp>

#include <string>
#include <string_view>

namespace kb::storage::s3 {

// Where a failing request went; used only to word messages.
struct error_context {
    std::string operation;  // "PUT", "GET", "ListObjectsV2", ...
    std::string bucket;
    std::string key;         // full object key; empty for bucket-level calls
    std::string endpoint;    // "http://127.0.0.1:9000"
    std::string access_key;  // only its first 4 characters ever reach a message
    // With SSE-C: the MD5 of the customer key (what S3 itself is sent; names the key
    // without revealing it). A 403 on a read then most likely means the wrong key.
    std::string sse_customer_key_md5;
};

// "AKIA…": enough to tell keys apart, never the whole key.
std::string redact_access_key(std::string_view access_key);

// NoSuchKey/NoSuchUpload/404 -> not_found; NoSuchBucket -> not_found naming the bucket;
// InvalidAccessKeyId/SignatureDoesNotMatch/AccessDenied/403 -> auth; 5xx, SlowDown,
// RequestTimeout, InternalError -> retryable; anything else -> fatal.
kb::error s3_error(unsigned status, std::string_view body, const error_context& ctx);

// The same classification from an S3 code alone (DeleteObjects per-key errors).
error_class classify_code(std::string_view code, unsigned status);
// The condition callers act on: NoSuchKey/NotFound (a bare 404) -> object_missing,
// NoSuchBucket -> bucket_missing, NoSuchUpload -> upload_missing, an auth class ->
// credentials_rejected; anything else unspecified. Only S3's Code decides, never a message.
reason reason_of_code(std::string_view code, unsigned status);

// Socket, TLS and HTTP-parser failures: timeouts and resets are retryable
// (reason store_unreachable); certificate failures and an oversized response are fatal.
kb::error transport_error(const boost::system::error_code& ec, const error_context& ctx);

}  // namespace kb::storage::s3
