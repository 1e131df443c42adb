#pragma once
// azure_client: one Blob service call = build the request, authorize it
// (Shared Key with a fresh x-ms-date per attempt, or the SAS token), send it
// through the connection pool, classify the answer; retried as a whole (body
// replayed from the same shared_buffer) while failures are retryable.
// Single-threaded like the pool it owns.

#include <kb/storage/azure/errors.hpp>
#include <kb/storage/azure/request.hpp>
#include <kb/storage/azure/settings.hpp>
#include <kb/storage/http/pool.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace kb::storage::azure::detail {

using boost::asio::awaitable;
using http::incoming_response;
using http::outgoing_request;

// The service version we speak (Azurite 3.x and Azure both serve it).
inline constexpr std::string_view service_version = "2021-12-02";

struct azure_call {
    std::string operation;            // for messages and logs: "Put Blob", "Put Block #3", ...
    std::string method;               // "PUT"
    std::string blob;                 // full blob name (root prefix applied); "" for the container
    std::vector<name_value> query;    // decoded
    std::vector<name_value> headers;  // extra headers: content-md5, x-ms-range, ...
    runtime::shared_buffer body;
    bool head = false;
    std::uint64_t body_limit = 0;         // 0: the config's max_response_bytes
    std::vector<unsigned> pass_statuses;  // non-2xx statuses returned, not thrown (404 for HEAD)
};

class azure_client {
  public:
    // `cfg` must already be resolved (resolve_settings).
    azure_client(boost::asio::any_io_executor ex, azure_config cfg);

    awaitable<incoming_response> call(azure_call c);

    const azure_config& config() const noexcept { return cfg_; }
    std::string describe() const;
    error_context context(const azure_call& c) const;

  private:
    awaitable<incoming_response> attempt(std::shared_ptr<const azure_call> c);
    outgoing_request to_outgoing(const azure_call& c) const;

    azure_config cfg_;
    account_url url_;
    std::vector<std::byte> key_;  // decoded account key; empty with a SAS token
    std::string sas_;
    http::http_pool pool_;
};

}  // namespace kb::storage::azure::detail
