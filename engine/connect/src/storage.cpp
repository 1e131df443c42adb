#include <kb/config/error.hpp>
#include <kb/connect/storage.hpp>
#include <kb/runtime/echo.hpp>
#include <kb/storage/http/digest.hpp>
#include <kb/storage/open.hpp>

#include <fstream>

namespace kb::connect {
namespace {

std::string trim_slashes(std::string s) {
    while (!s.empty() && s.front() == '/') s.erase(0, 1);
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

// A filesystem prefix is a subdirectory of the path.
std::string join_path(const std::string& path, const std::string& prefix) {
    std::string p = trim_slashes(prefix);
    if (p.empty()) return path;
    return path.empty() || path.back() == '/' ? path + p : path + "/" + p;
}

// The endpoint the config or URL names, else AWS_ENDPOINT_URL_S3, else
// AWS_ENDPOINT_URL (the AWS SDKs' convention), else none (AWS itself).
std::string endpoint_of(const kb::config::storage_config& s, const kb::config::env_lookup& env) {
    if (!s.endpoint.empty()) return s.endpoint;
    for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
        auto v = env(name);
        if (!v || v->empty()) continue;
        if (kb::runtime::has_userinfo(*v))
            throw kb::config::config_error(
                kb::config::config_errc::environment, name,
                std::string(name) +
                    " carries credentials (user-info before '@'); they are not "
                    "accepted in a URL and are not shown here",
                "give them as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        return *v;
    }
    return "";
}

// GCS: the endpoint only when the config names one (else storage/gcs takes
// STORAGE_EMULATOR_HOST or Google's); OSO's service_account_path, or its
// documented credentials_file, names the key file.
kb::storage::location gcs_location(const kb::config::storage_config& s) {
    kb::storage::location loc;
    loc.kind = kb::storage::location::kind::gcs;
    loc.bucket = s.bucket;
    loc.prefix = trim_slashes(s.prefix);
    loc.endpoint = s.endpoint;
    loc.credentials_file = s.gcs.service_account_path.value_or(s.gcs.credentials_file.value_or(""));
    loc.ca_file = s.ssl_ca_location.value_or("");
    return loc;
}

// Empty fields are filled from AZURE_STORAGE_* by the backend itself.
kb::storage::location azure_location(const kb::config::storage_config& s) {
    kb::storage::location loc;
    loc.kind = kb::storage::location::kind::azure;
    loc.account = s.azure.account_name;
    loc.container = s.azure.container_name;
    loc.prefix = trim_slashes(s.prefix);
    loc.endpoint = s.endpoint;
    loc.allow_http = s.allow_http;
    loc.account_key = s.azure.account_key.value_or("");
    loc.sas_token = s.azure.sas_token.value_or("");
    loc.use_emulator = s.azure.use_emulator.value_or(false);
    loc.ca_file = s.ssl_ca_location.value_or("");
    return loc;
}

// The SSE-C key: base64 of 32 bytes, from the file the config names or else from
// KB_S3_SSE_CUSTOMER_KEY (so it need not sit in a config file).
std::string customer_key(const kb::config::storage_config& s, const kb::config::env_lookup& env) {
    using kb::config::config_errc;
    using kb::config::config_error;
    std::string text, origin;
    if (s.sse_customer_key_file) {
        origin = "storage.sse_customer_key_file";
        std::ifstream in(*s.sse_customer_key_file);
        if (!in)
            throw config_error(config_errc::io, origin,
                               "cannot read the SSE-C key file " + *s.sse_customer_key_file,
                               "check the path and its permissions");
        std::getline(in, text);
    } else if (auto v = env("KB_S3_SSE_CUSTOMER_KEY"); v && !v->empty()) {
        origin = "KB_S3_SSE_CUSTOMER_KEY";
        text = *v;
    } else {
        throw config_error(config_errc::missing_key, "storage.sse_customer_key_file",
                           "server_side_encryption: customer needs a key",
                           "set sse_customer_key_file, or KB_S3_SSE_CUSTOMER_KEY, to the base64 "
                           "of 32 bytes (openssl rand -base64 32)");
    }
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
    auto bytes = kb::storage::http::base64_decode(text);
    if (!bytes || bytes->size() != 32)
        throw config_error(config_errc::invalid_value, origin,
                           origin + " is not the base64 of a 32-byte key (the key is not shown)",
                           "make one with: openssl rand -base64 32");
    return {reinterpret_cast<const char*>(bytes->data()), bytes->size()};
}

void set_sse(kb::storage::location& loc, const kb::config::storage_config& s,
             const kb::config::env_lookup& env) {
    if (!s.server_side_encryption || *s.server_side_encryption == "none") return;
    loc.sse_mode = *s.server_side_encryption == "SSE-C" ? "customer" : *s.server_side_encryption;
    loc.sse_kms_key_id = s.sse_kms_key_id.value_or("");
    if (loc.sse_mode == "customer") loc.sse_customer_key = customer_key(s, env);
}

}  // namespace

kb::storage::location to_location(const kb::config::storage_config& s,
                                  const kb::config::env_lookup& env) {
    using kb::config::storage_backend;
    kb::storage::location loc;
    if (s.backend == storage_backend::filesystem) {
        loc.kind = kb::storage::location::kind::filesystem;
        loc.path = join_path(s.path, s.prefix);
        return loc;
    }
    if (s.backend == storage_backend::gcs) return gcs_location(s);
    if (s.backend == storage_backend::azure) return azure_location(s);
    if (s.backend != storage_backend::s3)
        throw kb::config::config_error(kb::config::config_errc::unsupported, "storage.backend",
                                       std::string("storage backend '") +
                                           kb::config::to_string(s.backend) +
                                           "' is not supported by this build",
                                       "use s3 (also for MinIO), gcs, azure or filesystem");
    loc.kind = kb::storage::location::kind::s3;
    loc.bucket = s.bucket;
    loc.prefix = trim_slashes(s.prefix);
    loc.endpoint = endpoint_of(s, env);
    if (!s.region.empty())
        loc.region = s.region;
    else if (auto r = env("AWS_REGION"); r && !r->empty())
        loc.region = *r;
    loc.path_style = s.path_style;
    // An http:// endpoint from the environment says plain HTTP is meant, as one
    // written in the config or URL does.
    loc.allow_http = s.allow_http || (s.endpoint.empty() && loc.endpoint.rfind("http://", 0) == 0);
    loc.access_key = s.access_key.value_or("");
    loc.secret_key = s.secret_key.value_or("");
    loc.session_token = s.session_token.value_or("");
    loc.ca_file = s.ssl_ca_location.value_or("");
    set_sse(loc, s, env);
    return loc;
}

std::unique_ptr<kb::storage::backend> open_storage(boost::asio::any_io_executor ex,
                                                   const kb::config::storage_config& s) {
    return kb::storage::open_backend(std::move(ex), to_location(s));
}

}  // namespace kb::connect
