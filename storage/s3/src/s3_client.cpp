#include "s3_client.hpp"

#include <kb/runtime/retry.hpp>

#include <fmt/format.h>
#include <boost/asio/error.hpp>

#include <algorithm>
#include <atomic>

namespace kb::storage::s3::detail {
namespace http = boost::beast::http;

namespace {

[[noreturn]] void bad_config(std::string message) {
    throw kb::error(error_class::fatal, "InvalidConfig", message);
}

pool_options pool_options_for(const s3_config& cfg, const addressing& a) {
    pool_options o;
    o.host = a.path_style ? a.ep.host : a.bucket + "." + a.ep.host;
    o.port = a.ep.port;
    o.tls = a.ep.tls;
    o.verify_tls = cfg.verify_tls;
    o.ca_file = cfg.ca_file;
    o.max_connections = cfg.max_connections;
    o.request_timeout = cfg.request_timeout;
    return o;
}

// Until this process has had one answer from the object store, a store that
// cannot be reached is more likely misconfigured (no endpoint, wrong port, no
// network) than restarting: give up within seconds, with one line, instead of
// after the full retry deadline. Once it has answered, outages get the whole
// policy. Process-wide, so a shard's first call in a mid-run outage is not cut short.
std::atomic<bool> store_answered{false};

runtime::retry_policy first_contact(runtime::retry_policy p) {
    if (p.max_attempts == 0 || p.max_attempts > 3) p.max_attempts = 3;
    p.deadline = std::min(p.deadline, std::chrono::milliseconds(5'000));
    return p;
}

std::string as_string(const std::vector<std::byte>& body) {
    return {reinterpret_cast<const char*>(body.data()), body.size()};
}

}  // namespace

addressing validate(s3_config& cfg) {
    if (cfg.bucket.empty()) bad_config("storage.bucket is not set");
    if (cfg.region.empty()) cfg.region = "us-east-1";
    addressing a{
        .ep = cfg.endpoint.empty() ? default_endpoint(cfg.region) : parse_endpoint(cfg.endpoint),
        .bucket = cfg.bucket,
        .path_style = cfg.path_style};
    if (!a.ep.tls && !cfg.allow_http)
        bad_config(
            fmt::format("S3 endpoint {} is plain http: set storage.allow_http=true to "
                        "allow it (traffic and data are then unencrypted)",
                        a.ep.url()));
    if (is_ip_or_localhost(a.ep.host)) a.path_style = true;
    if (cfg.max_connections < 1) bad_config("storage.max_connections must be at least 1");
    return a;
}

s3_client::s3_client(boost::asio::any_io_executor ex, s3_config cfg)
    : cfg_(std::move(cfg)),
      addr_(validate(cfg_)),
      creds_{cfg_.access_key, cfg_.secret_key, cfg_.session_token},
      pool_(std::move(ex), pool_options_for(cfg_, addr_)) {}

std::string s3_client::describe() const {
    auto root = join_key(cfg_.prefix, "");  // "prod/" or ""
    if (!root.empty()) root.pop_back();
    return fmt::format("s3://{}{}{} at {}", cfg_.bucket, root.empty() ? "" : "/", root,
                       addr_.ep.url());
}

error_context s3_client::context(const s3_call& c) const {
    return error_context{.operation = c.operation,
                         .bucket = cfg_.bucket,
                         .key = c.key,
                         .endpoint = addr_.ep.url(),
                         .access_key = creds_.access_key,
                         .sse_customer_key_md5 = customer_key_md5(cfg_.sse)};
}

std::string s3_client::payload_hash(const s3_call& c) const {
    // Over TLS the transport protects the body; over plain http the body hash is signed.
    if (addr_.ep.tls) return std::string(sigv4::unsigned_payload);
    return sha256_hex(c.body.bytes());
}

// GCC 12 miscompiles some temporaries inside coroutines (a ?: of strings, a lambda
// built in the co_await expression), so everything here is a named local.
awaitable<incoming_response> s3_client::call(s3_call c) {
    auto hash = payload_hash(c);
    // The final error already names the object and endpoint; `what` labels the retries.
    auto what = fmt::format("S3 {}", c.operation);
    auto shared = std::make_shared<const s3_call>(std::move(c));
    auto once = [this, shared, hash] { return attempt(shared, hash); };
    auto policy = store_answered ? cfg_.retry : first_contact(cfg_.retry);
    auto res = co_await runtime::retry(policy, std::move(what), std::move(once));
    co_return res;
}

outgoing_request s3_client::to_outgoing(const s3_call& c, const std::string& payload_hash) const {
    auto req = build_request(addr_, c.method, c.key, c.query);
    for (const auto& h : c.headers) req.headers.push_back(h);
    sign_request(req, creds_, cfg_.region, std::chrono::system_clock::now(), payload_hash);
    outgoing_request out{.method = http::string_to_verb(c.method),
                         .target = req.target(),
                         .headers = {},
                         .body = c.body,
                         .head = c.head,
                         .body_limit = c.body_limit ? c.body_limit : cfg_.max_response_bytes};
    for (auto& h : req.headers) out.headers.emplace_back(std::move(h.name), std::move(h.value));
    return out;
}

awaitable<incoming_response> s3_client::attempt(std::shared_ptr<const s3_call> c,
                                                std::string payload_hash) {
    incoming_response res;
    try {
        res = co_await pool_.exchange(to_outgoing(*c, payload_hash));
    } catch (const boost::system::system_error& e) {
        if (kb::is_cancellation(e.code())) throw;
        throw transport_error(e.code(), context(*c));
    }
    store_answered = true;
    bool pass = std::find(c->pass_statuses.begin(), c->pass_statuses.end(), res.status) !=
                c->pass_statuses.end();
    if (res.status / 100 == 2 || pass) co_return res;
    throw s3_error(res.status, as_string(res.body), context(*c));
}

}  // namespace kb::storage::s3::detail
