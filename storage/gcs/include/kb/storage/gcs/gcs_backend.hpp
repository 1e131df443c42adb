#pragma once
// The Google Cloud Storage backend: kb::storage::backend over the JSON API
// (storage/v1) on Boost.Beast, for GCS and its emulator fake-gcs-server.
//
// Lifecycle and threading: make_gcs_backend() opens a backend bound to one
// executor (a shard's single-threaded io_context); every operation must be
// awaited there, and the backend must outlive its operations. It owns a
// connection pool to the storage host and, unless anonymous, an OAuth2 token
// source (its own pool to the token endpoint; the token is cached and
// refreshed before it expires). Every call has a deadline and a response size
// limit and is retried as a whole, with jittered backoff, while it fails
// transiently (the only retry layer).

#include <kb/runtime/retry.hpp>
#include <kb/storage/backend.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace kb::storage::gcs {

struct gcs_config {
    std::string bucket;
    std::string prefix;            // root of every key, e.g. "backups/prod"
    std::string endpoint;          // "" -> https://storage.googleapis.com
    std::string credentials_file;  // service-account (or authorized-user) JSON key
    bool anonymous = false;        // no Authorization header (the emulator)
    std::string ca_file;           // extra CA bundle (PEM) for https
    bool verify_tls = true;
    int max_connections = 8;
    std::chrono::milliseconds request_timeout{120'000};
    std::size_t max_response_bytes = std::size_t{512} << 20;
    runtime::retry_policy retry{};
};

using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

// Fills what the config left open from the environment, as Google's client
// libraries do:
//   - STORAGE_EMULATOR_HOST set and no endpoint: that endpoint, anonymous;
//   - no credentials file: GOOGLE_APPLICATION_CREDENTIALS, else gcloud's
//     application default credentials file (~/.config/gcloud/...) when it exists.
// Throws kb::error(auth, "NoCredentials") when, neither anonymous nor an
// emulator, no credentials file is found (the metadata server is not used).
void resolve_environment(gcs_config& cfg, const env_lookup& env);
void resolve_environment(gcs_config& cfg);  // the process environment

// Validates `cfg`, resolves the environment, loads the credentials and opens
// the backend. Throws kb::error (fatal or auth) naming the problem.
std::unique_ptr<backend> make_gcs_backend(boost::asio::any_io_executor ex, gcs_config cfg);

}  // namespace kb::storage::gcs
