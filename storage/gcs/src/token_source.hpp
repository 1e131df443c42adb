#pragma once
// token_source: OAuth2 access tokens for a service account (signed JWT bearer
// grant) or an authorized user (refresh-token grant), fetched from the
// credentials' token_uri through its own connection pool. The token is cached
// and fetched again once it has less than five minutes left. Not retried here:
// the storage call that needs the token is retried as a whole.
// Single-threaded: use it from the backend's executor only.

#include <kb/storage/gcs/jwt.hpp>
#include <kb/storage/gcs/request.hpp>
#include <kb/storage/http/pool.hpp>

#include <chrono>
#include <string>

namespace kb::storage::gcs::detail {

using boost::asio::awaitable;

class token_source {
  public:
    token_source(boost::asio::any_io_executor ex, google_credentials creds,
                 std::chrono::milliseconds timeout, std::string ca_file);

    // A valid bearer token; fetches a new one when the cached one is near expiry.
    awaitable<std::string> token();
    // Forgets the cached token (after the storage host refused it with 401).
    void invalidate() noexcept { expires_ = {}; }

  private:
    awaitable<void> refresh();

    google_credentials creds_;
    endpoint ep_;
    std::string target_;
    http::http_pool pool_;
    std::string token_;
    std::chrono::steady_clock::time_point expires_{};
};

}  // namespace kb::storage::gcs::detail
