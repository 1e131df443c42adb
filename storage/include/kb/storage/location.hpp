#pragma once
// Where a backup lives, parsed from what a user types: a directory
// ("/var/backups", "file:///var/backups") or an S3 URL
// ("s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true").
//
// Credentials are never taken from the URL (it ends up in shell history and logs);
// the config/flags layer fills access_key/secret_key/session_token after parsing.

#include <chrono>
#include <string>
#include <string_view>

namespace kb::storage {

struct location {
    // Refer to the values as location::kind::s3 (the member hides the type name).
    enum class kind { filesystem, s3, gcs, azure } kind = kind::filesystem;

    std::string path;  // filesystem: the root directory

    // s3:
    std::string bucket;
    std::string prefix;    // no leading or trailing '/'; may be empty
    std::string endpoint;  // "http(s)://host[:port]"; empty means AWS for `region`
    std::string region = "us-east-1";
    bool path_style = false;
    bool allow_http = false;
    std::string access_key, secret_key, session_token;  // secrets: never printed
    std::string ca_file;
    // s3 server-side encryption: "" (none), "AES256", "aws:kms" or "customer";
    // the customer key is the 32 raw bytes (a secret: never printed).
    std::string sse_mode, sse_kms_key_id, sse_customer_key;
    // gcs (bucket, prefix, endpoint and ca_file as above): a service-account key
    // file; empty: STORAGE_EMULATOR_HOST, GOOGLE_APPLICATION_CREDENTIALS (storage/gcs).
    std::string credentials_file;
    // azure (prefix, endpoint, allow_http and ca_file as above; empty fields are
    // filled from AZURE_STORAGE_* by the backend):
    std::string account, container;
    std::string account_key, sas_token;  // secrets: never printed
    bool use_emulator = false;
    // How long one call retries through an outage; zero: the backend's default.
    std::chrono::milliseconds retry_deadline{0};
};

// Throws std::invalid_argument with a message that quotes the bad part.
// Query keys for s3 (and gs://): endpoint, region, path_style, allow_http, ca_file;
// for az://CONTAINER/PREFIX: account, endpoint, allow_http, ca_file.
location parse_location(std::string_view text);

// "s3://bucket/prefix (endpoint http://127.0.0.1:9000, region us-east-1, path-style)"
// or the directory. Never includes a secret.
std::string describe(const location& loc);

}  // namespace kb::storage
