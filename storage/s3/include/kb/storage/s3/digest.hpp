#pragma once
// Hashes and encodings S3 needs: SHA-256 (SigV4 payload hashes), HMAC-SHA256
// (SigV4 signing key chain), MD5 in base64 (Content-MD5 integrity checks).
// Thin wrappers over OpenSSL's one-shot EVP calls; pure and thread-safe.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace kb::storage::s3 {

using digest256 = std::array<std::byte, 32>;

std::string hex(std::span<const std::byte> bytes);
std::string base64(std::span<const std::byte> bytes);

digest256 sha256(std::span<const std::byte> bytes);
std::string sha256_hex(std::span<const std::byte> bytes);
std::string sha256_hex(std::string_view text);

digest256 hmac_sha256(std::span<const std::byte> key, std::string_view data);

// The value of a Content-MD5 header: base64 of the 16-byte MD5 digest.
std::string md5_base64(std::span<const std::byte> bytes);

}  // namespace kb::storage::s3
