#include "enums.hpp"
#include "parse.hpp"

#include <kb/config/error.hpp>

namespace kb::config::detail {
namespace {

void parse_s3_keys(reader& r, storage_config& s) {
    // The names OSO's docs and demo configs use (OSO 0.25 takes them as aliases).
    r.alias("access_key_id", "access_key");
    r.alias("secret_access_key", "secret_key");
    r.get("bucket", s.bucket);
    r.get("region", s.region);
    r.get("endpoint", s.endpoint);
    r.get("access_key", s.access_key);
    r.get("secret_key", s.secret_key);
    r.get("session_token", s.session_token);
    r.get("profile", s.profile);
    r.get("path_style", s.path_style);
    r.get("allow_http", s.allow_http);
    r.get("ssl_ca_location", s.ssl_ca_location);
    r.get_size("part_size", s.part_size);
    r.get_int("max_parts_in_flight", s.max_parts_in_flight);
    r.get("server_side_encryption", s.server_side_encryption);
    r.get("sse_kms_key_id", s.sse_kms_key_id);
    r.get("sse_customer_key_file", s.sse_customer_key_file);
}

void parse_azure_keys(reader& r, azure_storage& a) {
    r.get("account_name", a.account_name);
    r.get("container_name", a.container_name);
    r.get("account_key", a.account_key);
    r.get("use_workload_identity", a.use_workload_identity);
    r.get("client_id", a.client_id);
    r.get("tenant_id", a.tenant_id);
    r.get("client_secret", a.client_secret);
    r.get("sas_token", a.sas_token);
    r.get("use_emulator", a.use_emulator);
    r.get("use_managed_identity", a.use_managed_identity);
}

}  // namespace

// The OSO schema is a union tagged by `backend`; we accept the keys of every
// variant in one section and validate() checks the ones the backend needs.
storage_config parse_storage(reader& r) {
    storage_config s;
    auto backend = r.take("backend");
    if (!backend)
        throw config_error(
            config_errc::missing_key, r.key_path("backend"),
            r.ctx().origin + ": missing required key '" + r.key_path("backend") + "'",
            "add 'backend: s3' or 'backend: filesystem' to the storage section");
    r.get_enum("backend", s.backend, backend_names);
    bool explicit_http = r.take("allow_http").has_value();
    parse_s3_keys(r, s);
    parse_azure_keys(r, s.azure);
    r.get("service_account_path", s.gcs.service_account_path);
    r.get("project_id", s.gcs.project_id);
    r.get("credentials_file", s.gcs.credentials_file);
    r.get("prefix", s.prefix);
    r.get("path", s.path);
    r.finish();
    while (!s.prefix.empty() && s.prefix.back() == '/') s.prefix.pop_back();
    // An endpoint written as http:// says plain HTTP is meant (as the URL form does).
    if (!explicit_http && s.endpoint.rfind("http://", 0) == 0) s.allow_http = true;
    return s;
}

}  // namespace kb::config::detail
