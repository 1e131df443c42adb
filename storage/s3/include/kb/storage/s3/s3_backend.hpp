#pragma once
// The S3 backend: kb::storage::backend over Boost.Beast, for AWS S3 and
// S3-compatible stores (MinIO, Ceph, GCS's S3 interface).
//
// Lifecycle and threading: make_s3_backend() opens a backend bound to one
// executor (a shard's single-threaded io_context); every operation must be
// awaited on that executor, and the backend must outlive its operations. It
// owns a connection pool (keep-alive, at most max_connections sockets); every
// request is signed with SigV4, has a deadline and a response size limit, and
// is retried with jittered backoff when it fails transiently.

#include <kb/runtime/retry.hpp>
#include <kb/storage/backend.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <kb/storage/s3/sse.hpp>

#include <memory>
#include <optional>
#include <string>

namespace kb::storage::s3 {

struct s3_config {
    std::string bucket;
    std::string prefix;  // root of every key, e.g. "backups/prod"
    std::string region = "us-east-1";
    std::string endpoint;     // "" -> https://s3.{region}.amazonaws.com
    bool path_style = false;  // forced on for IP-literal and localhost endpoints
    bool allow_http = false;  // a plain-http endpoint is refused unless this is set
    std::string access_key;   // empty -> resolve_credentials()
    std::string secret_key;
    std::string session_token;
    std::string ca_file;  // extra CA bundle (PEM) for https endpoints
    bool verify_tls = true;
    server_side_encryption sse;  // none unless configured
    int max_connections = 8;
    std::chrono::milliseconds request_timeout{120'000};       // one request, connect to last byte
    std::size_t max_response_bytes = std::size_t{512} << 20;  // largest whole-object GET
    runtime::retry_policy retry{};
};

// Validates `cfg` (bucket, endpoint, allow_http), resolves credentials when none
// are set, and opens the backend. Throws kb::error (fatal or auth) naming the problem.
std::unique_ptr<backend> make_s3_backend(boost::asio::any_io_executor ex, s3_config cfg);

// Looks up an environment variable; tests pass their own.
using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

// Fills access_key/secret_key/session_token, first found wins:
//   1. already set in `cfg` (config file or flags),
//   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
//   3. the shared credentials file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials),
//      profile AWS_PROFILE or "default".
// Throws kb::error(auth, "NoCredentials") when none has both keys. Never logs a secret.
void resolve_credentials(s3_config& cfg, const env_lookup& env);
void resolve_credentials(s3_config& cfg);  // the process environment

// When `cfg` names no endpoint (neither the config file nor the s3:// URL did), takes
// AWS_ENDPOINT_URL, else AWS_ENDPOINT, as the AWS CLI and SDKs (and OSO kafka-backup)
// do, so `--path s3://bucket/prefix` reaches MinIO with only the environment set. An
// http:// endpoint from there allows plain HTTP, as one written in the config does.
void resolve_endpoint(s3_config& cfg, const env_lookup& env);
void resolve_endpoint(s3_config& cfg);  // the process environment

}  // namespace kb::storage::s3
