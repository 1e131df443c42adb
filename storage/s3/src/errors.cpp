#include <kb/storage/s3/errors.hpp>

#include <kb/storage/s3/xml.hpp>

#include <kb/storage/http/transport_error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace kb::storage::s3 {
namespace {

constexpr std::array auth_codes{
    std::string_view{"InvalidAccessKeyId"}, std::string_view{"SignatureDoesNotMatch"},
    std::string_view{"AccessDenied"},       std::string_view{"ExpiredToken"},
    std::string_view{"InvalidToken"},       std::string_view{"TokenRefreshRequired"}};
constexpr std::array retry_codes{
    std::string_view{"SlowDown"}, std::string_view{"RequestTimeout"},
    std::string_view{"InternalError"}, std::string_view{"ServiceUnavailable"},
    std::string_view{"XMinioServerNotInitialized"},
    // The body did not match its checksum: damaged in transit,
    // so sending the same bytes again can succeed.
    std::string_view{"BadDigest"}, std::string_view{"XAmzContentSHA256Mismatch"}};

bool contains(const auto& list, std::string_view code) {
    return std::find(list.begin(), list.end(), code) != list.end();
}

std::string object_url(const error_context& ctx) {
    return ctx.key.empty() ? fmt::format("s3://{}", ctx.bucket)
                           : fmt::format("s3://{}/{}", ctx.bucket, ctx.key);
}

// "(NoSuchKey: The specified key does not exist.)" or "(HTTP 404)" without a body.
std::string detail(unsigned status, const error_document& doc) {
    if (doc.code.empty()) return fmt::format("HTTP {}", status);
    if (doc.message.empty()) return fmt::format("HTTP {} {}", status, doc.code);
    return fmt::format("HTTP {} {}: {}", status, doc.code, doc.message);
}

std::string fallback_code(unsigned status) {
    switch (status) {
        case 403:
            return "AccessDenied";
        case 404:
            return "NotFound";
        case 503:
            return "ServiceUnavailable";
        default:
            return fmt::format("HTTP{}", status);
    }
}

}  // namespace

std::string redact_access_key(std::string_view access_key) {
    return std::string(access_key.substr(0, 4)) + "…";
}

reason reason_of_code(std::string_view code, unsigned status) {
    if (code == "NoSuchKey" || code == "NotFound") return reason::object_missing;
    if (code == "NoSuchBucket") return reason::bucket_missing;
    if (code == "NoSuchUpload") return reason::upload_missing;
    if (classify_code(code, status) == error_class::auth) return reason::credentials_rejected;
    return reason::unspecified;
}

error_class classify_code(std::string_view code, unsigned status) {
    if (code == "NoSuchKey" || code == "NoSuchBucket" || code == "NoSuchUpload" ||
        code == "NotFound")
        return error_class::not_found;
    if (contains(auth_codes, code) || status == 401 || status == 403) return error_class::auth;
    if (contains(retry_codes, code) || status >= 500 || status == 429)
        return error_class::retryable;
    return error_class::fatal;
}

kb::error s3_error(unsigned status, std::string_view body, const error_context& ctx) {
    auto doc = parse_error_document(body).value_or(error_document{});
    if (doc.code.empty()) doc.code = fallback_code(status);
    auto cls = classify_code(doc.code, status);
    auto r = reason_of_code(doc.code, status);
    auto why = detail(status, doc);
    if (r == reason::bucket_missing)
        return kb::error(cls, doc.code,
                         fmt::format("bucket '{}' does not exist at {}: create it or fix "
                                     "storage.bucket ({})",
                                     ctx.bucket, ctx.endpoint, why),
                         r);
    bool read = ctx.operation == "GetObject" || ctx.operation == "HeadObject";
    if (cls == error_class::auth && read && !ctx.sse_customer_key_md5.empty())
        return kb::error(cls, doc.code,
                         fmt::format("S3 refused {} {} at {} ({}) with the SSE-C key whose MD5 "
                                     "is {}: it is not the key the backup was written with, or "
                                     "access key {} lacks read permission; check "
                                     "sse_customer_key_file or KB_S3_SSE_CUSTOMER_KEY",
                                     ctx.operation, object_url(ctx), ctx.endpoint, why,
                                     ctx.sse_customer_key_md5, redact_access_key(ctx.access_key)),
                         r);
    if (cls == error_class::auth)
        return kb::error(cls, doc.code,
                         fmt::format("S3 rejected the credentials for access key {} on {} {} at "
                                     "{} ({}): check storage.access_key/secret_key or "
                                     "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
                                     redact_access_key(ctx.access_key), ctx.operation,
                                     object_url(ctx), ctx.endpoint, why),
                         r);
    if (cls == error_class::not_found)
        return kb::error(
            cls, doc.code,
            fmt::format("S3 {} {}: not found ({})", ctx.operation, object_url(ctx), why), r);
    return kb::error(cls, doc.code,
                     fmt::format("S3 {} {} at {} failed ({})", ctx.operation, object_url(ctx),
                                 ctx.endpoint, why),
                     r);
}

kb::error transport_error(const boost::system::error_code& ec, const error_context& ctx) {
    auto where = fmt::format("S3 {} {} at {}", ctx.operation, object_url(ctx), ctx.endpoint);
    return http::transport_error(
        ec, where,
        {.ca_setting = "storage.ssl_ca_location (ca_file= in --path)",
         .endpoint_setting = "storage.endpoint, endpoint= in --path or AWS_ENDPOINT_URL"});
}

}  // namespace kb::storage::s3
