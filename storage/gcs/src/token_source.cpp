#include "token_source.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/gcs/errors.hpp>

#include <fmt/format.h>
#include <boost/asio/error.hpp>
#include <nlohmann/json.hpp>

namespace kb::storage::gcs::detail {
namespace {

constexpr auto refresh_margin = std::chrono::minutes(5);

http::pool_options pool_for(const endpoint& ep, std::chrono::milliseconds timeout,
                            std::string ca_file) {
    http::pool_options o;
    o.host = ep.host;
    o.port = ep.port;
    o.tls = ep.tls;
    o.ca_file = std::move(ca_file);
    o.max_connections = 1;
    o.request_timeout = timeout;
    return o;
}

std::string target_of(const std::string& uri) {
    auto t = target_of_location(uri);
    return t.empty() ? "/" : t;
}

// "invalid_grant: Invalid JWT Signature." from an OAuth2 error answer, or "".
std::string oauth_error(std::string_view body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("error") || !j["error"].is_string())
        return "";
    auto text = j["error"].get<std::string>();
    if (auto d = j.find("error_description"); d != j.end() && d->is_string())
        text += ": " + d->get<std::string>();
    return text;
}

std::string endpoint_of(const std::string& uri) {
    auto t = target_of_location(uri);
    return t.empty() ? uri : uri.substr(0, uri.size() - t.size());
}

}  // namespace

token_source::token_source(boost::asio::any_io_executor ex, google_credentials creds,
                           std::chrono::milliseconds timeout, std::string ca_file)
    : creds_(std::move(creds)),
      ep_(parse_endpoint(endpoint_of(creds_.token_uri))),
      target_(target_of(creds_.token_uri)),
      pool_(std::move(ex), pool_for(ep_, timeout, std::move(ca_file))) {}

awaitable<std::string> token_source::token() {
    if (token_.empty() || std::chrono::steady_clock::now() + refresh_margin >= expires_)
        co_await refresh();
    co_return token_;
}

awaitable<void> token_source::refresh() {
    auto body = token_request_body(creds_, storage_scope, std::chrono::system_clock::now());
    http::outgoing_request req{.method = boost::beast::http::verb::post,
                               .target = target_,
                               .headers = {{"Host", ep_.authority()},
                                           {"Content-Type", "application/x-www-form-urlencoded"}},
                               .body = runtime::shared_buffer::copy_of(body),
                               .head = false,
                               .body_limit = 1 << 20};
    error_context ctx{
        .operation = "oauth2.token", .bucket = "", .key = "", .endpoint = creds_.token_uri};
    http::incoming_response res;
    try {
        res = co_await pool_.exchange(std::move(req));
    } catch (const boost::system::system_error& e) {
        if (kb::is_cancellation(e.code())) throw;
        throw transport_error(e.code(), ctx);
    }
    std::string_view text(reinterpret_cast<const char*>(res.body.data()), res.body.size());
    if (res.status / 100 != 2) {
        auto cls =
            res.status >= 500 || res.status == 429 ? error_class::retryable : error_class::auth;
        throw kb::error(
            cls, "TokenRefused",
            fmt::format("the OAuth2 token endpoint {} refused the credentials of {} "
                        "(HTTP {} {}): check the service account key",
                        creds_.token_uri,
                        creds_.client_email.empty() ? creds_.client_id : creds_.client_email,
                        res.status, oauth_error(text)));
    }
    auto t = parse_token_response(text);
    token_ = std::move(t.token);
    expires_ = std::chrono::steady_clock::now() + t.expires_in;
    log::debug("storage.gcs", "OAuth2 token from {} valid for {} s", creds_.token_uri,
               t.expires_in.count());
}

}  // namespace kb::storage::gcs::detail
