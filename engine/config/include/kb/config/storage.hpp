#pragma once
// Where backups live (`storage:`). The OSO schema is a tagged union on
// `backend`; we keep one flat struct whose fields are meaningful per backend.
// Azure and GCS keys parse (so OSO configs load) but this build only has the
// s3 and filesystem backends.

#include <cstdint>
#include <optional>
#include <string>

namespace kb::config {

enum class storage_backend { s3, filesystem, azure, gcs, memory };

struct azure_storage {
    std::string account_name;
    std::string container_name;
    std::optional<std::string> account_key;
    std::optional<bool> use_workload_identity;
    std::optional<std::string> client_id;
    std::optional<std::string> tenant_id;
    std::optional<std::string> client_secret;
    std::optional<std::string> sas_token;
    std::optional<bool> use_emulator;          // OSO 0.25 (Azurite)
    std::optional<bool> use_managed_identity;  // OSO docs
};

struct gcs_storage {
    std::optional<std::string> service_account_path;
    std::optional<std::string> project_id;        // OSO docs
    std::optional<std::string> credentials_file;  // OSO docs
};

struct storage_config {
    storage_backend backend = storage_backend::filesystem;
    // s3 (also gcs: bucket)
    std::string bucket;
    std::string region;    // empty: AWS_REGION, else us-east-1 (decided by storage)
    std::string endpoint;  // e.g. http://127.0.0.1:9000 for MinIO
    std::optional<std::string> access_key;  // empty: AWS_ACCESS_KEY_ID, profile
    std::optional<std::string> secret_key;
    std::optional<std::string> session_token;  // ours
    std::optional<std::string> profile;        // ours: shared-credentials profile
    bool path_style = false;
    bool allow_http = false;
    std::optional<std::string> ssl_ca_location;  // ours: custom CA for https endpoints
    std::uint64_t part_size = 16ull << 20;       // ours: multipart part size
    std::uint32_t max_parts_in_flight = 4;       // ours: multipart concurrency
    // ours: S3 server-side encryption: "AES256" (SSE-S3), "aws:kms" (SSE-KMS) or
    // "customer" (SSE-C, key from sse_customer_key_file or KB_S3_SSE_CUSTOMER_KEY).
    std::optional<std::string> server_side_encryption;
    std::optional<std::string> sse_kms_key_id;
    std::optional<std::string> sse_customer_key_file;  // base64 of the 32-byte key
    // every backend
    std::string prefix;
    // filesystem
    std::string path;
    azure_storage azure;
    gcs_storage gcs;
};

const char* to_string(storage_backend b) noexcept;

}  // namespace kb::config
