#include <kb/runtime/error.hpp>
#include <kb/storage/fs/fs_backend.hpp>
#include <kb/storage/open.hpp>

#ifdef KB_HAVE_S3
#include <kb/storage/s3/s3_backend.hpp>
#endif
#ifdef KB_HAVE_GCS
#include <kb/storage/gcs/gcs_backend.hpp>
#endif
#ifdef KB_HAVE_AZURE
#include <kb/storage/azure/azure_backend.hpp>
#endif

namespace kb::storage {

namespace {

#ifdef KB_HAVE_S3
s3::s3_config to_s3_config(const location& loc) {
    s3::s3_config c;
    c.bucket = loc.bucket;
    c.prefix = loc.prefix;
    c.region = loc.region;
    c.endpoint = loc.endpoint;
    c.path_style = loc.path_style;
    c.allow_http = loc.allow_http;
    c.access_key = loc.access_key;
    c.secret_key = loc.secret_key;
    c.session_token = loc.session_token;
    c.ca_file = loc.ca_file;
    if (loc.retry_deadline.count() > 0) c.retry.deadline = loc.retry_deadline;
    if (!loc.sse_mode.empty()) {
        auto mode = s3::parse_sse_mode(loc.sse_mode);
        if (!mode)
            throw kb::error(kb::error_class::fatal, "InvalidEncryption",
                            "server-side encryption '" + loc.sse_mode +
                                "' is not known; use "
                                "AES256, aws:kms or customer");
        c.sse.mode = *mode;
    }
    c.sse.kms_key_id = loc.sse_kms_key_id;
    c.sse.customer_key = loc.sse_customer_key;
    return c;
}
#endif

#ifdef KB_HAVE_GCS
gcs::gcs_config to_gcs_config(const location& loc) {
    gcs::gcs_config c;
    c.bucket = loc.bucket;
    c.prefix = loc.prefix;
    c.endpoint = loc.endpoint;
    c.credentials_file = loc.credentials_file;
    c.ca_file = loc.ca_file;
    if (loc.retry_deadline.count() > 0) c.retry.deadline = loc.retry_deadline;
    return c;
}
#endif

#ifdef KB_HAVE_AZURE
azure::azure_config to_azure_config(const location& loc) {
    azure::azure_config c;
    c.account = loc.account;
    c.container = loc.container;
    c.prefix = loc.prefix;
    c.endpoint = loc.endpoint;
    c.account_key = loc.account_key;
    c.sas_token = loc.sas_token;
    c.use_emulator = loc.use_emulator;
    c.allow_http = loc.allow_http;
    c.ca_file = loc.ca_file;
    if (loc.retry_deadline.count() > 0) c.retry.deadline = loc.retry_deadline;
    return c;
}
#endif

}  // namespace

std::unique_ptr<backend> open_backend(boost::asio::any_io_executor ex, const location& loc) {
    if (loc.kind == location::kind::filesystem) return make_fs_backend(std::move(ex), loc.path);
    if (loc.kind == location::kind::gcs) {
#ifdef KB_HAVE_GCS
        return gcs::make_gcs_backend(std::move(ex), to_gcs_config(loc));
#else
        throw kb::error(error_class::fatal, "Unsupported",
                        "this build has no GCS support; cannot open " + describe(loc));
#endif
    }
    if (loc.kind == location::kind::azure) {
#ifdef KB_HAVE_AZURE
        return azure::make_azure_backend(std::move(ex), to_azure_config(loc));
#else
        throw kb::error(error_class::fatal, "Unsupported",
                        "this build has no Azure support; cannot open " + describe(loc));
#endif
    }
#ifdef KB_HAVE_S3
    return s3::make_s3_backend(std::move(ex), to_s3_config(loc));
#else
    throw kb::error(error_class::fatal, "Unsupported",
                    "this build has no S3 support; cannot open " + describe(loc));
#endif
}

}  // namespace kb::storage
