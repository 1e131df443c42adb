#include <kb/storage/gcs/errors.hpp>

#include <kb/storage/http/transport_error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>

namespace kb::storage::gcs {
namespace {

struct error_document {
    std::string message;
    std::string reason;
};

// {"error": {"code": 404, "message": "...", "errors": [{"reason": "notFound", ...}]}}
error_document parse_error_document(std::string_view body) {
    error_document doc;
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        // fake-gcs-server answers some errors as plain text.
        if (body.size() <= 200) doc.message = std::string(body);
        while (!doc.message.empty() && std::isspace(static_cast<unsigned char>(doc.message.back())))
            doc.message.pop_back();
        return doc;
    }
    auto e = j.find("error");
    if (e == j.end() || !e->is_object()) return doc;
    if (auto m = e->find("message"); m != e->end() && m->is_string()) doc.message = *m;
    if (auto list = e->find("errors"); list != e->end() && list->is_array() && !list->empty())
        if (auto r = (*list)[0].find("reason"); r != (*list)[0].end() && r->is_string())
            doc.reason = *r;
    return doc;
}

std::string object_url(const error_context& ctx) {
    return ctx.key.empty() ? fmt::format("gs://{}", ctx.bucket)
                           : fmt::format("gs://{}/{}", ctx.bucket, ctx.key);
}

std::string detail(unsigned status, const error_document& doc) {
    auto text = fmt::format("HTTP {}", status);
    if (!doc.reason.empty()) text += " " + doc.reason;
    if (!doc.message.empty()) text += ": " + doc.message;
    return text;
}

std::string code_for(unsigned status, const error_context& ctx) {
    switch (status) {
        case 401:
            return "Unauthenticated";
        case 403:
            return "AccessDenied";
        case 404:
            // A bucket-level call (objects.list) names no object: its 404 is the bucket's.
            return ctx.bucket_missing || (ctx.key.empty() && !ctx.bucket.empty()) ? "NoSuchBucket"
                                                                                  : "NotFound";
        case 412:
            return "PreconditionFailed";
        case 429:
            return "SlowDown";
        default:
            return fmt::format("HTTP{}", status);
    }
}

}  // namespace

error_class classify_status(unsigned status) {
    if (status == 404 || status == 410) return error_class::not_found;
    if (status == 401 || status == 403) return error_class::auth;
    if (status == 408 || status == 429 || status >= 500) return error_class::retryable;
    return error_class::fatal;
}

// The condition callers act on, from the code code_for() gave the status.
kb::reason reason_for(error_class cls, const std::string& code) {
    if (code == "NoSuchBucket") return kb::reason::bucket_missing;
    if (cls == error_class::not_found) return kb::reason::object_missing;
    if (cls == error_class::auth) return kb::reason::credentials_rejected;
    return kb::reason::unspecified;
}

kb::error gcs_error(unsigned status, std::string_view body, const error_context& ctx) {
    auto doc = parse_error_document(body);
    auto cls = classify_status(status);
    auto code = code_for(status, ctx);
    auto r = reason_for(cls, code);
    auto why = detail(status, doc);
    if (r == kb::reason::bucket_missing)
        return kb::error(cls, code,
                         fmt::format("bucket '{}' does not exist at {}: create it or fix "
                                     "storage.bucket ({})",
                                     ctx.bucket, ctx.endpoint, why),
                         r);
    if (cls == error_class::auth)
        return kb::error(cls, code,
                         fmt::format("GCS refused {} {} at {} ({}): check the service account "
                                     "key (storage.service_account_path or "
                                     "GOOGLE_APPLICATION_CREDENTIALS) and its roles on the bucket",
                                     ctx.operation, object_url(ctx), ctx.endpoint, why),
                         r);
    if (cls == error_class::not_found)
        return kb::error(
            cls, code,
            fmt::format("GCS {} {}: not found ({})", ctx.operation, object_url(ctx), why), r);
    if (code == "PreconditionFailed")
        return kb::error(cls, code,
                         fmt::format("GCS {} {}: the object already exists (precondition "
                                     "ifGenerationMatch failed, {})",
                                     ctx.operation, object_url(ctx), why));
    return kb::error(cls, code,
                     fmt::format("GCS {} {} at {} failed ({})", ctx.operation, object_url(ctx),
                                 ctx.endpoint, why));
}

kb::error transport_error(const boost::system::error_code& ec, const error_context& ctx) {
    auto where = fmt::format("GCS {} {} at {}", ctx.operation, object_url(ctx), ctx.endpoint);
    return http::transport_error(ec, where,
                                 {.ca_setting = "storage.ssl_ca_location (ca_file= in --path)",
                                  .endpoint_setting = "storage.endpoint or STORAGE_EMULATOR_HOST"});
}

}  // namespace kb::storage::gcs
