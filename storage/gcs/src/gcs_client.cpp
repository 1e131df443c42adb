#include "gcs_client.hpp"

#include <kb/runtime/retry.hpp>

#include <fmt/format.h>
#include <boost/asio/error.hpp>

#include <algorithm>

namespace kb::storage::gcs::detail {
namespace {

http::pool_options pool_options_for(const gcs_config& cfg, const endpoint& ep) {
    http::pool_options o;
    o.host = ep.host;
    o.port = ep.port;
    o.tls = ep.tls;
    o.verify_tls = cfg.verify_tls;
    o.ca_file = cfg.ca_file;
    o.max_connections = cfg.max_connections;
    o.request_timeout = cfg.request_timeout;
    return o;
}

std::string as_string(const std::vector<std::byte>& body) {
    return {reinterpret_cast<const char*>(body.data()), body.size()};
}

std::unique_ptr<token_source> tokens_for(boost::asio::any_io_executor ex, const gcs_config& cfg,
                                         std::optional<google_credentials> creds) {
    if (!creds) return nullptr;
    return std::make_unique<token_source>(std::move(ex), std::move(*creds), cfg.request_timeout,
                                          cfg.ca_file);
}

}  // namespace

gcs_client::gcs_client(boost::asio::any_io_executor ex, gcs_config cfg,
                       std::optional<google_credentials> creds)
    : cfg_(std::move(cfg)),
      ep_(parse_endpoint(cfg_.endpoint.empty() ? std::string(default_endpoint_url)
                                               : cfg_.endpoint)),
      pool_(ex, pool_options_for(cfg_, ep_)),
      tokens_(tokens_for(ex, cfg_, std::move(creds))) {}

std::string gcs_client::describe() const {
    auto root = cfg_.prefix.empty() ? std::string{} : "/" + cfg_.prefix;
    return fmt::format("gs://{}{} at {}", cfg_.bucket, root, ep_.url());
}

error_context gcs_client::context(const gcs_call& c) const {
    return error_context{
        .operation = c.operation, .bucket = cfg_.bucket, .key = c.key, .endpoint = ep_.url()};
}

// GCC 12 miscompiles some temporaries inside coroutines: everything is a named local.
awaitable<http::incoming_response> gcs_client::call(gcs_call c) {
    auto what = fmt::format("GCS {}", c.operation);
    auto shared = std::make_shared<const gcs_call>(std::move(c));
    auto once = [this, shared] { return attempt(shared); };
    auto policy = cfg_.retry;
    auto res = co_await runtime::retry(policy, std::move(what), std::move(once));
    co_return res;
}

awaitable<http::outgoing_request> gcs_client::to_outgoing(const gcs_call& c) {
    http::outgoing_request out{.method = c.method,
                               .target = c.target,
                               .headers = c.headers,
                               .body = c.body,
                               .head = c.head,
                               .body_limit = c.body_limit ? c.body_limit : cfg_.max_response_bytes};
    out.headers.emplace_back("Host", ep_.authority());
    if (tokens_) {
        auto token = co_await tokens_->token();
        out.headers.emplace_back("Authorization", "Bearer " + token);
    }
    co_return out;
}

awaitable<http::incoming_response> gcs_client::attempt(std::shared_ptr<const gcs_call> c) {
    auto req = co_await to_outgoing(*c);
    http::incoming_response res;
    try {
        res = co_await pool_.exchange(std::move(req));
    } catch (const boost::system::system_error& e) {
        if (kb::is_cancellation(e.code())) throw;
        throw transport_error(e.code(), context(*c));
    }
    bool pass = std::find(c->pass_statuses.begin(), c->pass_statuses.end(), res.status) !=
                c->pass_statuses.end();
    if (res.status / 100 == 2 || pass) co_return res;
    // An expired or revoked token: fetch a fresh one, and let the retry decide.
    if (res.status == 401 && tokens_) tokens_->invalidate();
    auto ctx = context(*c);
    if (res.status == 404 && !c->key.empty()) ctx.bucket_missing = co_await bucket_is_missing();
    throw gcs_error(res.status, as_string(res.body), ctx);
}

// One buckets.get, not retried: it only words an error that is already certain.
awaitable<bool> gcs_client::bucket_is_missing() {
    gcs_call probe{.operation = "buckets.get",
                   .target = bucket_target(cfg_.bucket),
                   .body_limit = 64 * 1024,
                   .pass_statuses = {404}};
    try {
        auto req = co_await to_outgoing(probe);
        auto res = co_await pool_.exchange(std::move(req));
        co_return res.status == 404;
    } catch (const boost::system::system_error& e) {
        if (kb::is_cancellation(e.code())) throw;
        co_return false;  // the object's own 404 stands
    } catch (const kb::error& e) {
        if (e.cls() == error_class::cancelled) throw;
        co_return false;  // no token for the probe: the object's own 404 stands
    }
}

}  // namespace kb::storage::gcs::detail
