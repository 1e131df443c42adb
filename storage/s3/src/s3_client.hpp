#pragma once
// s3_client: one S3 API call = build the request, sign it, send it through the
// connection pool, classify the outcome; retried as a whole (re-signed, body
// replayed from the same shared_buffer) while failures are retryable.
// Single-threaded like the pool it owns.

#include <kb/storage/http/pool.hpp>
#include <kb/storage/s3/errors.hpp>
#include <kb/storage/s3/request.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <memory>
#include <string>
#include <vector>

namespace kb::storage::s3::detail {

using http::http_pool;
using http::incoming_response;
using http::outgoing_request;
using http::pool_options;

struct s3_call {
    std::string operation;  // for messages and logs: "PutObject", "UploadPart", ...
    std::string method;     // "PUT"
    std::string key;        // full object key (root prefix applied); "" for the bucket
    sigv4::query_params query;
    std::vector<sigv4::header> headers;  // extra signed headers: content-md5, range, ...
    runtime::shared_buffer body;
    bool head = false;
    std::uint64_t body_limit = 0;         // 0: the config's max_response_bytes
    std::vector<unsigned> pass_statuses;  // non-2xx statuses returned, not thrown (404 for HEAD)
};

class s3_client {
  public:
    // `cfg` must already be validated and hold credentials (see make_s3_backend).
    s3_client(boost::asio::any_io_executor ex, s3_config cfg);

    awaitable<incoming_response> call(s3_call c);

    const s3_config& config() const noexcept { return cfg_; }
    const addressing& address() const noexcept { return addr_; }
    std::string describe() const;
    error_context context(const s3_call& c) const;

  private:
    awaitable<incoming_response> attempt(std::shared_ptr<const s3_call> c,
                                         std::string payload_hash);
    std::string payload_hash(const s3_call& c) const;
    outgoing_request to_outgoing(const s3_call& c, const std::string& payload_hash) const;

    s3_config cfg_;
    addressing addr_;
    sigv4::credentials creds_;
    http_pool pool_;
};

// Checks the config, fills defaults (endpoint, path style); throws kb::error(fatal).
addressing validate(s3_config& cfg);

}  // namespace kb::storage::s3::detail
