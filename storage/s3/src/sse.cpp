#include <kb/runtime/error.hpp>
#include <kb/storage/s3/digest.hpp>
#include <kb/storage/s3/sse.hpp>

#include <fmt/format.h>

#include <optional>
#include <span>

namespace kb::storage::s3 {
namespace {

constexpr std::size_t customer_key_bytes = 32;  // AES-256

std::span<const std::byte> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

std::vector<sigv4::header> customer_headers(const server_side_encryption& s) {
    return {{"x-amz-server-side-encryption-customer-algorithm", "AES256"},
            {"x-amz-server-side-encryption-customer-key", base64(bytes_of(s.customer_key))},
            {"x-amz-server-side-encryption-customer-key-md5", customer_key_md5(s)}};
}

}  // namespace

std::vector<sigv4::header> sse_headers(const server_side_encryption& s, sse_use use) {
    switch (s.mode) {
        case sse_mode::none:
            return {};
        case sse_mode::s3_managed:
            if (use != sse_use::create) return {};
            return {{"x-amz-server-side-encryption", "AES256"}};
        case sse_mode::kms: {
            if (use != sse_use::create) return {};
            std::vector<sigv4::header> h{{"x-amz-server-side-encryption", "aws:kms"}};
            if (!s.kms_key_id.empty())
                h.push_back({"x-amz-server-side-encryption-aws-kms-key-id", s.kms_key_id});
            return h;
        }
        case sse_mode::customer:
            return customer_headers(s);
    }
    return {};
}

std::string customer_key_md5(const server_side_encryption& s) {
    if (s.mode != sse_mode::customer) return "";
    return md5_base64(bytes_of(s.customer_key));
}

std::optional<sse_mode> parse_sse_mode(std::string_view text) {
    if (text == "none") return sse_mode::none;
    if (text == "AES256") return sse_mode::s3_managed;
    if (text == "aws:kms") return sse_mode::kms;
    if (text == "customer" || text == "SSE-C") return sse_mode::customer;
    return std::nullopt;
}

const char* to_string(sse_mode m) noexcept {
    switch (m) {
        case sse_mode::none:
            return "none";
        case sse_mode::s3_managed:
            return "AES256";
        case sse_mode::kms:
            return "aws:kms";
        case sse_mode::customer:
            return "customer";
    }
    return "none";
}

void check(const server_side_encryption& s) {
    if (s.mode == sse_mode::customer && s.customer_key.size() != customer_key_bytes)
        throw kb::error(kb::error_class::fatal, "InvalidEncryptionKey",
                        fmt::format("the SSE-C customer key is {} bytes; S3 needs exactly {} "
                                    "(make one with: openssl rand -base64 32)",
                                    s.customer_key.size(), customer_key_bytes));
    if (s.mode != sse_mode::kms && !s.kms_key_id.empty())
        throw kb::error(kb::error_class::fatal, "InvalidEncryptionKey",
                        "a KMS key id is set but server-side encryption is not aws:kms "
                        "(set server_side_encryption: aws:kms, or drop the key id)");
}

}  // namespace kb::storage::s3
