#include <kb/storage/http/digest.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace kb::storage::http {
namespace {

const unsigned char* raw(std::span<const std::byte> bytes) {
    return reinterpret_cast<const unsigned char*>(bytes.data());
}

std::span<const std::byte> bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

// One-shot EVP digest into `out`, which must hold at least EVP_MD_get_size(md) bytes.
unsigned digest(const EVP_MD* md, std::span<const std::byte> in, unsigned char* out) {
    unsigned len = 0;
    if (EVP_Digest(raw(in), in.size(), out, &len, md, nullptr) != 1)
        throw std::runtime_error("OpenSSL digest failed");
    return len;
}

}  // namespace

std::string hex(std::span<const std::byte> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        auto v = static_cast<unsigned>(b);
        out.push_back(digits[v >> 4]);
        out.push_back(digits[v & 0xF]);
    }
    return out;
}

std::string base64(std::span<const std::byte> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), raw(bytes),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::vector<std::byte>> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<std::byte> out(text.size() / 4 * 3);
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts the bytes the padding stands for; drop them.
    std::size_t pad = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

digest256 sha256(std::span<const std::byte> bytes) {
    digest256 out{};
    digest(EVP_sha256(), bytes, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string sha256_hex(std::span<const std::byte> bytes) {
    return hex(sha256(bytes));
}

std::string sha256_hex(std::string_view text) {
    return sha256_hex(bytes_of(text));
}

digest256 hmac_sha256(std::span<const std::byte> key, std::string_view data) {
    digest256 out{};
    unsigned len = 0;
    auto* ok = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                    reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                    reinterpret_cast<unsigned char*>(out.data()), &len);
    if (ok == nullptr || len != out.size()) throw std::runtime_error("OpenSSL HMAC failed");
    return out;
}

std::string md5_base64(std::span<const std::byte> bytes) {
    std::array<std::byte, 16> md{};
    digest(EVP_md5(), bytes, reinterpret_cast<unsigned char*>(md.data()));
    return base64(md);
}

}  // namespace kb::storage::http
