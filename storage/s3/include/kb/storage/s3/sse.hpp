#pragma once
// Server-side encryption of what we write to S3: the store encrypts at rest with
// its own key (SSE-S3), with a KMS key (SSE-KMS), or with a key we send on every
// request and it never keeps (SSE-C). Pure: which headers each request carries.

#include <kb/storage/s3/sigv4.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::s3 {

enum class sse_mode { none, s3_managed, kms, customer };

struct server_side_encryption {
    sse_mode mode = sse_mode::none;
    std::string kms_key_id;    // kms: empty uses the bucket's default KMS key
    std::string customer_key;  // customer: the 32 raw key bytes; a secret, never printed
};

// What a request does with an object: creates it (PutObject, CreateMultipartUpload),
// writes one of its parts (UploadPart), or reads it (GetObject, HeadObject).
enum class sse_use { create, part, read };

// SSE-S3 and SSE-KMS are named once, when the object is created; S3 decrypts on
// read by itself. SSE-C must send the key on every request that touches the bytes.
std::vector<sigv4::header> sse_headers(const server_side_encryption& s, sse_use use);

// The base64 MD5 of the SSE-C key ("" without SSE-C): safe to show, it names the key.
std::string customer_key_md5(const server_side_encryption& s);

// "AES256" (SSE-S3), "aws:kms" (SSE-KMS), "customer" or "SSE-C"; nullopt for anything else.
std::optional<sse_mode> parse_sse_mode(std::string_view text);
const char* to_string(sse_mode m) noexcept;

// Throws kb::error (fatal) naming the problem: a customer key that is not 32 bytes,
// or a KMS key id given without aws:kms.
void check(const server_side_encryption& s);

}  // namespace kb::storage::s3
