#include "client.hpp"

#include <kb/storage/azure/xml.hpp>
#include <kb/storage/http/digest.hpp>

#include <fmt/format.h>
#include <boost/asio/error.hpp>

#include <algorithm>
#include <atomic>

namespace kb::storage::azure::detail {
namespace bhttp = boost::beast::http;

namespace {

http::pool_options pool_options_for(const azure_config& cfg, const account_url& url) {
    http::pool_options o;
    o.host = url.host;
    o.port = url.port;
    o.tls = url.tls;
    o.verify_tls = cfg.verify_tls;
    o.ca_file = cfg.ca_file;
    o.max_connections = cfg.max_connections;
    o.request_timeout = cfg.request_timeout;
    return o;
}

// As in the S3 backend: until the service has answered once, an unreachable
// endpoint is more likely a mistake than an outage, so give up within seconds.
std::atomic<bool> service_answered{false};

runtime::retry_policy first_contact(runtime::retry_policy p) {
    if (p.max_attempts == 0 || p.max_attempts > 3) p.max_attempts = 3;
    p.deadline = std::min(p.deadline, std::chrono::milliseconds(5'000));
    return p;
}

std::vector<std::byte> decoded_key(const azure_config& cfg) {
    if (!cfg.sas_token.empty()) return {};
    return http::base64_decode(cfg.account_key).value_or(std::vector<std::byte>{});
}

std::string as_string(const std::vector<std::byte>& body) {
    return {reinterpret_cast<const char*>(body.data()), body.size()};
}

}  // namespace

azure_client::azure_client(boost::asio::any_io_executor ex, azure_config cfg)
    : cfg_(std::move(cfg)),
      url_(parse_account_url(cfg_.endpoint)),
      key_(decoded_key(cfg_)),
      sas_(cfg_.sas_token.empty() ? std::string{} : normalized_sas(cfg_.sas_token)),
      pool_(std::move(ex), pool_options_for(cfg_, url_)) {}

std::string azure_client::describe() const {
    auto root = cfg_.prefix.empty() ? std::string{} : "/" + cfg_.prefix;
    return fmt::format("az://{}{} at {}", cfg_.container, root, url_.url());
}

error_context azure_client::context(const azure_call& c) const {
    return error_context{.operation = c.operation,
                         .account = cfg_.account,
                         .container = cfg_.container,
                         .blob = c.blob,
                         .endpoint = url_.url()};
}

// GCC 12 miscompiles some temporaries inside coroutines: everything is a named local.
awaitable<incoming_response> azure_client::call(azure_call c) {
    auto what = fmt::format("Azure {}", c.operation);
    auto shared = std::make_shared<const azure_call>(std::move(c));
    auto once = [this, shared] { return attempt(shared); };
    auto policy = service_answered ? cfg_.retry : first_contact(cfg_.retry);
    auto res = co_await runtime::retry(policy, std::move(what), std::move(once));
    co_return res;
}

outgoing_request azure_client::to_outgoing(const azure_call& c) const {
    signing_input in{.method = c.method,
                     .encoded_path = encoded_path(url_, cfg_.container, c.blob),
                     .query = c.query,
                     .headers = c.headers};
    in.headers.emplace_back("x-ms-date", format_http_date(std::chrono::system_clock::now()));
    in.headers.emplace_back("x-ms-version", std::string(service_version));
    if (!c.body.empty()) in.headers.emplace_back("content-length", std::to_string(c.body.size()));
    outgoing_request out{.method = bhttp::string_to_verb(c.method),
                         .target = request_target(in.encoded_path, in.query, sas_),
                         .headers = {},
                         .body = c.body,
                         .head = c.head,
                         .body_limit = c.body_limit ? c.body_limit : cfg_.max_response_bytes};
    if (sas_.empty())
        out.headers.emplace_back("authorization", authorization(cfg_.account, key_, in));
    out.headers.emplace_back("host", url_.authority());
    for (auto& [name, value] : in.headers)
        if (name != "content-length") out.headers.emplace_back(std::move(name), std::move(value));
    return out;
}

awaitable<incoming_response> azure_client::attempt(std::shared_ptr<const azure_call> c) {
    incoming_response res;
    try {
        res = co_await pool_.exchange(to_outgoing(*c));
    } catch (const boost::system::system_error& e) {
        if (kb::is_cancellation(e.code())) throw;
        throw transport_error(e.code(), context(*c));
    }
    service_answered = true;
    bool pass = std::find(c->pass_statuses.begin(), c->pass_statuses.end(), res.status) !=
                c->pass_statuses.end();
    if (res.status / 100 == 2 || pass) co_return res;
    auto code = res.headers["x-ms-error-code"];
    throw blob_error(res.status, std::string_view(code.data(), code.size()), as_string(res.body),
                     context(*c));
}

}  // namespace kb::storage::azure::detail
