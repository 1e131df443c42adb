#pragma once
// Hashes and encodings the object-store backends need: SHA-256 (SigV4 payload
// hashes), HMAC-SHA256 (SigV4's signing key chain, Azure's Shared Key), MD5 in
// base64 (Content-MD5 integrity checks), base64 both ways (Azure account keys).
// Thin wrappers over OpenSSL's one-shot EVP calls; pure and thread-safe.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::http {

using digest256 = std::array<std::byte, 32>;

std::string hex(std::span<const std::byte> bytes);
std::string base64(std::span<const std::byte> bytes);
// Standard base64 with padding; nullopt when `text` is not that.
std::optional<std::vector<std::byte>> base64_decode(std::string_view text);

digest256 sha256(std::span<const std::byte> bytes);
std::string sha256_hex(std::span<const std::byte> bytes);
std::string sha256_hex(std::string_view text);

digest256 hmac_sha256(std::span<const std::byte> key, std::string_view data);

// The value of a Content-MD5 header: base64 of the 16-byte MD5 digest.
std::string md5_base64(std::span<const std::byte> bytes);

}  // namespace kb::storage::http
