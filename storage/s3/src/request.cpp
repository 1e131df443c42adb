#include <kb/storage/s3/request.hpp>

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

#include <charconv>

namespace kb::storage::s3 {
namespace {

[[noreturn]] void bad_endpoint(std::string_view url, std::string_view why) {
    throw kb::error(error_class::fatal, "InvalidEndpoint",
                    fmt::format("invalid S3 endpoint '{}': {}", url, why));
}

std::uint16_t parse_port(std::string_view url, std::string_view text) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535)
        bad_endpoint(url, "the port is not a number in 1..65535");
    return static_cast<std::uint16_t>(value);
}

// Splits "host:port", "[v6]:port", "host" into the endpoint's host and port.
void parse_authority(std::string_view url, std::string_view auth, endpoint& ep) {
    std::string_view port;
    if (auth.starts_with('[')) {
        auto close = auth.find(']');
        if (close == std::string_view::npos) bad_endpoint(url, "unclosed '[' in the host");
        ep.host = auth.substr(1, close - 1);
        auto rest = auth.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) bad_endpoint(url, "junk after the IPv6 host");
        if (!rest.empty()) port = rest.substr(1);
    } else {
        auto colon = auth.rfind(':');
        ep.host = auth.substr(0, colon);
        if (colon != std::string_view::npos) port = auth.substr(colon + 1);
    }
    if (ep.host.empty()) bad_endpoint(url, "no host");
    if (!port.empty()) ep.port = parse_port(url, port);
}

}  // namespace

std::string endpoint::authority() const {
    bool v6 = host.find(':') != std::string::npos;
    std::string h = v6 ? fmt::format("[{}]", host) : host;
    bool default_port = (tls && port == 443) || (!tls && port == 80);
    return default_port ? h : fmt::format("{}:{}", h, port);
}

std::string endpoint::url() const {
    return (tls ? "https://" : "http://") + authority();
}

endpoint parse_endpoint(std::string_view url) {
    endpoint ep;
    std::string_view rest = url;
    if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
        ep.tls = false;
        ep.port = 80;
    } else {
        bad_endpoint(url, "it must start with http:// or https://");
    }
    while (rest.ends_with('/')) rest.remove_suffix(1);
    if (rest.find_first_of("/?#@") != std::string_view::npos)
        bad_endpoint(url, "only scheme://host[:port] is allowed (no path, query or user)");
    parse_authority(url, rest, ep);
    return ep;
}

endpoint default_endpoint(std::string_view region) {
    return endpoint{.tls = true, .host = fmt::format("s3.{}.amazonaws.com", region), .port = 443};
}

bool is_ip_or_localhost(std::string_view host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    boost::asio::ip::make_address(std::string(host), ec);
    return !ec;
}

std::string http_request::target() const {
    auto q = sigv4::canonical_query(query);
    return q.empty() ? path : fmt::format("{}?{}", path, q);
}

const std::string* http_request::find_header(std::string_view name) const {
    for (const auto& h : headers)
        if (h.name == name) return &h.value;
    return nullptr;
}

http_request build_request(const addressing& a, std::string method, std::string_view key,
                           sigv4::query_params query) {
    http_request r;
    r.method = std::move(method);
    r.query = std::move(query);
    auto encoded_key = sigv4::uri_encode(key, false);
    if (a.path_style) {
        r.host = a.ep.authority();
        r.path = fmt::format("/{}", sigv4::uri_encode(a.bucket, true));
        if (!key.empty()) r.path += fmt::format("/{}", encoded_key);
    } else {
        r.host = fmt::format("{}.{}", a.bucket, a.ep.authority());
        r.path = fmt::format("/{}", encoded_key);
    }
    r.headers.push_back({"host", r.host});
    return r;
}

void sign_request(http_request& r, const sigv4::credentials& c, std::string_view region,
                  std::chrono::system_clock::time_point now, std::string payload_hash) {
    auto date = sigv4::amz_date(now);
    r.headers.push_back({"x-amz-date", date});
    r.headers.push_back({"x-amz-content-sha256", payload_hash});
    if (!c.session_token.empty()) r.headers.push_back({"x-amz-security-token", c.session_token});
    sigv4::request sr{.method = r.method,
                      .canonical_uri = r.path,
                      .query = r.query,
                      .headers = r.headers,
                      .payload_hash = std::move(payload_hash)};
    r.headers.push_back({"authorization", sigv4::authorization(sr, c, date, region)});
}

std::string join_key(std::string_view prefix, std::string_view key) {
    while (prefix.starts_with('/')) prefix.remove_prefix(1);
    while (prefix.ends_with('/')) prefix.remove_suffix(1);
    if (prefix.empty()) return std::string(key);
    return fmt::format("{}/{}", prefix, key);
}

}  // namespace kb::storage::s3
