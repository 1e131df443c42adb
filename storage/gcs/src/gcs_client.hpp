#pragma once
// gcs_client: one JSON API call = build the request, add the bearer token,
// send it through the connection pool, classify the outcome; retried as a
// whole (token re-read, body replayed from the same shared_buffer) while the
// failure is retryable. Single-threaded like the pool it owns.

#include "token_source.hpp"

#include <kb/storage/gcs/errors.hpp>
#include <kb/storage/gcs/gcs_backend.hpp>
#include <kb/storage/gcs/request.hpp>
#include <kb/storage/http/pool.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kb::storage::gcs::detail {

struct gcs_call {
    std::string operation;  // for messages and logs: "objects.insert", ...
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string target;  // path and query
    std::string key;     // full object name, for messages
    std::vector<std::pair<std::string, std::string>> headers;
    runtime::shared_buffer body;
    bool head = false;
    std::uint64_t body_limit = 0;         // 0: the config's max_response_bytes
    std::vector<unsigned> pass_statuses;  // non-2xx statuses returned, not thrown
};

class gcs_client {
  public:
    // `cfg` must already be validated and resolved (see make_gcs_backend).
    gcs_client(boost::asio::any_io_executor ex, gcs_config cfg,
               std::optional<google_credentials> creds);

    awaitable<http::incoming_response> call(gcs_call c);

    const gcs_config& config() const noexcept { return cfg_; }
    std::string describe() const;
    error_context context(const gcs_call& c) const;

  private:
    awaitable<http::incoming_response> attempt(std::shared_ptr<const gcs_call> c);
    awaitable<http::outgoing_request> to_outgoing(const gcs_call& c);
    awaitable<bool> bucket_is_missing();

    gcs_config cfg_;
    endpoint ep_;
    http::http_pool pool_;
    std::unique_ptr<token_source> tokens_;  // null when anonymous
};

}  // namespace kb::storage::gcs::detail
