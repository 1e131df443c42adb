#include <kb/storage/azure/errors.hpp>

#include <kb/storage/azure/xml.hpp>

#include <kb/storage/http/transport_error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace kb::storage::azure {
namespace {

constexpr std::array not_found_codes{std::string_view{"BlobNotFound"},
                                     std::string_view{"ContainerNotFound"},
                                     std::string_view{"ResourceNotFound"}};
constexpr std::array auth_codes{std::string_view{"AuthenticationFailed"},
                                std::string_view{"AuthorizationFailure"},
                                std::string_view{"AuthorizationPermissionMismatch"},
                                std::string_view{"AuthorizationResourceTypeMismatch"},
                                std::string_view{"InsufficientAccountPermissions"},
                                std::string_view{"AccountIsDisabled"},
                                std::string_view{"InvalidAuthenticationInfo"}};
constexpr std::array retry_codes{std::string_view{"ServerBusy"},
                                 std::string_view{"OperationTimedOut"},
                                 std::string_view{"InternalError"},
                                 // The body did not match its Content-MD5: damaged in transit, so
                                 // the same bytes sent again can succeed.
                                 std::string_view{"Md5Mismatch"}};

bool contains(const auto& list, std::string_view code) {
    return std::find(list.begin(), list.end(), code) != list.end();
}

std::string blob_url(const error_context& ctx) {
    auto url = fmt::format("{}/{}", ctx.endpoint, ctx.container);
    return ctx.blob.empty() ? url : url + "/" + ctx.blob;
}

std::string fallback_code(unsigned status) {
    switch (status) {
        case 403:
            return "AuthenticationFailed";
        case 404:
            return "NotFound";
        case 412:
            return "ConditionNotMet";
        default:
            return fmt::format("HTTP{}", status);
    }
}

// The service's message is several lines (request id, time): keep the first.
std::string first_line(std::string_view s) {
    return std::string(s.substr(0, s.find('\n')));
}

}  // namespace

error_class classify_code(std::string_view code, unsigned status) {
    if (contains(not_found_codes, code) || status == 404) return error_class::not_found;
    if (contains(auth_codes, code) || status == 401 || status == 403) return error_class::auth;
    if (contains(retry_codes, code) || status >= 500 || status == 429 || status == 408)
        return error_class::retryable;
    return error_class::fatal;
}

// The condition callers act on: Azure's code, or the class a bare status gave.
kb::reason reason_for(error_class cls, std::string_view code) {
    if (code == "ContainerNotFound") return kb::reason::bucket_missing;
    if (cls == error_class::not_found) return kb::reason::object_missing;
    if (cls == error_class::auth) return kb::reason::credentials_rejected;
    return kb::reason::unspecified;
}

kb::error blob_error(unsigned status, std::string_view header_code, std::string_view body,
                     const error_context& ctx) {
    auto doc = parse_error_document(body).value_or(error_document{});
    std::string code = !header_code.empty() ? std::string(header_code)
                       : !doc.code.empty()  ? doc.code
                                            : fallback_code(status);
    auto message = first_line(doc.message);
    auto why = message.empty() ? fmt::format("HTTP {} {}", status, code)
                               : fmt::format("HTTP {} {}: {}", status, code, message);
    auto cls = classify_code(code, status);
    auto r = reason_for(cls, code);
    if (r == kb::reason::bucket_missing)
        return kb::error(cls, code,
                         fmt::format("container '{}' does not exist in Azure storage account "
                                     "'{}' at {}: create it or fix storage.container_name ({})",
                                     ctx.container, ctx.account, ctx.endpoint, why),
                         r);
    if (cls == error_class::auth)
        return kb::error(cls, code,
                         fmt::format("Azure rejected the credentials for storage account '{}' on "
                                     "{} {} ({}): check storage.account_key or sas_token, or "
                                     "AZURE_STORAGE_KEY / AZURE_STORAGE_CONNECTION_STRING",
                                     ctx.account, ctx.operation, blob_url(ctx), why),
                         r);
    if (cls == error_class::not_found)
        return kb::error(
            cls, code,
            fmt::format("Azure {} {}: not found ({})", ctx.operation, blob_url(ctx), why), r);
    return kb::error(cls, code,
                     fmt::format("Azure {} {} failed ({})", ctx.operation, blob_url(ctx), why));
}

kb::error transport_error(const boost::system::error_code& ec, const error_context& ctx) {
    auto where = fmt::format("Azure {} {}", ctx.operation, blob_url(ctx));
    return http::transport_error(
        ec, where,
        {.ca_setting = "storage.ssl_ca_location (ca_file= in --path)",
         .endpoint_setting =
             "storage.account_name, storage.endpoint or AZURE_STORAGE_CONNECTION_STRING"});
}

}  // namespace kb::storage::azure
