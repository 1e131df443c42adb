// status --config: the running backup job's /health and /metrics over HTTP.
#include <kb/inspect/status.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <cstdlib>

namespace kb::inspect {

namespace http = boost::beast::http;
using boost::asio::awaitable;
using boost::asio::use_awaitable;
using nlohmann::json;

namespace {

struct reply {
    unsigned status = 0;
    std::string body;
};

// One GET with a deadline over the whole exchange; errors name the endpoint.
awaitable<reply> http_get(std::string host, std::uint16_t port, std::string target,
                          std::chrono::milliseconds timeout) {
    auto ex = co_await boost::asio::this_coro::executor;
    boost::asio::ip::tcp::resolver resolver(ex);
    boost::beast::tcp_stream stream(ex);
    const auto url = fmt::format("http://{}:{}{}", host, port, target);
    try {
        auto endpoints = co_await resolver.async_resolve(host, std::to_string(port), use_awaitable);
        stream.expires_after(timeout);
        co_await stream.async_connect(endpoints, use_awaitable);
        http::request<http::empty_body> req{http::verb::get, target, 11};
        req.set(http::field::host, host);
        req.set(http::field::connection, "close");
        co_await http::async_write(stream, req, use_awaitable);
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(16u << 20);
        co_await http::async_read(stream, buffer, parser, use_awaitable);
        boost::system::error_code ignored;
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        co_return reply{parser.get().result_int(), parser.get().body()};
    } catch (const boost::system::system_error& e) {
        throw kb::error(error_class::retryable, "MetricsUnreachable",
                        "cannot read " + url + ": " + e.code().message() +
                            " (is the backup running with metrics enabled on this port?)");
    }
}

double number(std::string_view text) {
    return std::strtod(std::string(text).c_str(), nullptr);
}

}  // namespace

live_metrics parse_prometheus(std::string_view text) {
    live_metrics m;
    while (!text.empty()) {
        auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (line.empty() || line.front() == '#') continue;
        auto space = line.rfind(' ');
        if (space == std::string_view::npos) continue;
        std::string_view name = line.substr(0, std::min(space, line.find('{')));
        double v = number(line.substr(space + 1));
        if (name == "kafka_backup_records_total") m.records += v;
        if (name == "kafka_backup_bytes_total") m.bytes += v;
        if (name == "kafka_backup_stored_bytes_total") m.stored_bytes += v;
        if (name == "kafka_backup_segments_total") m.segments += v;
        if (name == "kafka_backup_errors_total") m.errors += v;
        if (name == "kafka_backup_lag_records") m.lag += v;
        if (name == "kafka_backup_partitions") m.partitions += v;
    }
    return m;
}

awaitable<live_status> probe_live(std::string host, std::uint16_t port, std::string metrics_path,
                                  std::chrono::milliseconds timeout) {
    live_status s;
    s.endpoint = fmt::format("http://{}:{}", host, port);
    auto health = co_await http_get(host, port, "/health", timeout);
    auto doc = json::parse(health.body, nullptr, false);
    s.health = doc.is_object() && doc.contains("status") && doc["status"].is_string()
                   ? doc["status"].get<std::string>()
                   : fmt::format("http {}", health.status);
    auto metrics = co_await http_get(host, port, metrics_path, timeout);
    if (metrics.status != 200)
        throw kb::error(error_class::fatal, "MetricsUnreachable",
                        fmt::format("{}{} answered HTTP {} (check metrics.path in the config)",
                                    s.endpoint, metrics_path, metrics.status));
    s.metrics = parse_prometheus(metrics.body);
    co_return s;
}

json to_json(const live_status& s) {
    const auto& m = s.metrics;
    return {{"endpoint", s.endpoint},
            {"health", s.health},
            {"records", static_cast<std::uint64_t>(m.records)},
            {"bytes", static_cast<std::uint64_t>(m.bytes)},
            {"stored_bytes", static_cast<std::uint64_t>(m.stored_bytes)},
            {"segments", static_cast<std::uint64_t>(m.segments)},
            {"errors", static_cast<std::uint64_t>(m.errors)},
            {"lag_records", static_cast<std::int64_t>(m.lag)},
            {"partitions", static_cast<std::uint64_t>(m.partitions)}};
}

std::string to_text(const live_status& s) {
    const auto& m = s.metrics;
    const std::string border(60, '=');
    std::string out = border + "\n  Kafka Backup - Live Status\n" + border + "\n";
    out +=
        fmt::format("  Endpoint: {}\n  Status: {}\n{}\n  Progress\n", s.endpoint, s.health, border);
    out += fmt::format("  |- Records: {:.0f}\n  |- Bytes: {:.0f} ({:.0f} stored)\n", m.records,
                       m.bytes, m.stored_bytes);
    out += fmt::format("  |- Segments: {:.0f}\n  |- Partitions: {:.0f}\n  |- Lag: {:.0f} records\n",
                       m.segments, m.partitions, m.lag);
    out += fmt::format("  |- Errors: {:.0f}\n{}\n", m.errors, border);
    return out;
}

}  // namespace kb::inspect
