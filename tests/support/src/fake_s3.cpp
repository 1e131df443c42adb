// An S3 endpoint for unit tests (see fake_s3.hpp).
#include <kb/test/fake_s3.hpp>
#include <kb/test/server_thread.hpp>

#include <kb/storage/s3/xml.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <mutex>

namespace kb::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::awaitable;
using asio::ip::tcp;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;
using namespace std::chrono_literals;

namespace {

constexpr const char* bucket_name = "test";
constexpr const char* fixed_time_iso = "2026-01-01T00:00:00.000Z";
constexpr const char* fixed_time_http = "Thu, 01 Jan 2026 00:00:00 GMT";

struct parsed_target {
    std::string key;  // bucket-relative, decoded
    std::map<std::string, std::string> query;
};

parsed_target parse_target(std::string_view target) {
    parsed_target out;
    auto q = target.find('?');
    std::string_view path = target.substr(0, q);
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    auto slash = path.find('/');  // past the bucket
    out.key = slash == std::string_view::npos
                  ? std::string()
                  : storage::s3::url_decode(path.substr(slash + 1), false);
    if (q == std::string_view::npos) return out;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        auto pair = rest.substr(0, amp);
        auto eq = pair.find('=');
        auto name = storage::s3::url_decode(pair.substr(0, eq), true);
        out.query[name] = eq == std::string_view::npos
                              ? std::string()
                              : storage::s3::url_decode(pair.substr(eq + 1), true);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    }
    return out;
}

std::string url_encode(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
            out.push_back(static_cast<char>(c));
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string etag_of(const std::string& bytes) {
    return fmt::format("\"{:016x}\"", std::hash<std::string>{}(bytes));
}

response make_response(const request& req, http::status status, std::string body = {}) {
    response res(status, req.version());
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response error_response(const request& req, http::status status, std::string_view code) {
    return make_response(
        req, status,
        fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{}</Code>"
                    "<Message>fake_s3: {}</Message></Error>",
                    code, code));
}

struct upload {
    std::string key;
    std::map<int, std::string> parts;
};

}  // namespace

struct fake_s3::impl {
    server_thread server;  // first: destroyed last, after the state its handlers used
    tcp::acceptor acceptor{server.io(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};

    mutable std::mutex mutex;
    std::map<std::string, std::string> objects;
    std::map<std::string, upload> uploads;
    std::vector<s3_rule> rules;
    std::vector<std::string> log;
    bool writes_held = false;
    int waiting = 0;
    int next_upload = 1;

    // The first rule matching the request, used up by one.
    std::optional<s3_rule> take_rule(const std::string& method, const std::string& key) {
        std::lock_guard lock(mutex);
        log.push_back(method + " " + key);
        for (auto it = rules.begin(); it != rules.end(); ++it) {
            if (!it->method.empty() && it->method != method) continue;
            if (key.find(it->key_contains) == std::string::npos) continue;
            auto rule = *it;
            if (it->times > 0 && --it->times == 0) rules.erase(it);
            return rule;
        }
        return std::nullopt;
    }

    // ---- operations (under the mutex) ----------------------------------------

    response get_object(const request& req, const std::string& key) {
        auto it = objects.find(key);
        if (it == objects.end()) return error_response(req, http::status::not_found, "NoSuchKey");
        auto range = req[http::field::range];
        if (range.empty()) return make_response(req, http::status::ok, it->second);
        std::uint64_t first = 0, last = 0;
        if (std::sscanf(std::string(range).c_str(), "bytes=%lu-%lu", &first, &last) != 2 ||
            first >= it->second.size())
            return error_response(req, http::status::range_not_satisfiable, "InvalidRange");
        last = std::min<std::uint64_t>(last, it->second.size() - 1);
        auto res = make_response(req, http::status::partial_content,
                                 it->second.substr(first, last - first + 1));
        res.set(http::field::content_range,
                fmt::format("bytes {}-{}/{}", first, last, it->second.size()));
        return res;
    }

    response head_object(const request& req, const std::string& key) {
        auto it = objects.find(key);
        response res(it == objects.end() ? http::status::not_found : http::status::ok,
                     req.version());
        res.keep_alive(req.keep_alive());
        res.content_length(it == objects.end() ? 0 : it->second.size());
        if (it != objects.end()) res.set(http::field::etag, etag_of(it->second));
        res.set(http::field::last_modified, fixed_time_http);
        return res;
    }

    response list_objects(const request& req, const parsed_target& t) {
        auto prefix = t.query.count("prefix") ? t.query.at("prefix") : std::string();
        auto max_keys = t.query.count("max-keys") ? std::stoul(t.query.at("max-keys")) : 1000ul;
        auto token = t.query.count("continuation-token") ? t.query.at("continuation-token") : "";
        std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>";
        std::size_t n = 0;
        std::string last;
        bool truncated = false;
        for (auto it = objects.lower_bound(prefix); it != objects.end(); ++it) {
            if (!it->first.starts_with(prefix)) break;
            if (!token.empty() && it->first <= token) continue;
            if (n == max_keys) {
                truncated = true;
                break;
            }
            body += fmt::format(
                "<Contents><Key>{}</Key><Size>{}</Size><ETag>{}</ETag>"
                "<LastModified>{}</LastModified></Contents>",
                url_encode(it->first), it->second.size(), etag_of(it->second), fixed_time_iso);
            last = it->first;
            ++n;
        }
        body += fmt::format("<IsTruncated>{}</IsTruncated>", truncated ? "true" : "false");
        if (truncated) body += "<NextContinuationToken>" + last + "</NextContinuationToken>";
        return make_response(req, http::status::ok, body + "</ListBucketResult>");
    }

    response list_uploads(const request& req) {
        std::string body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult>"
            "<IsTruncated>false</IsTruncated>";
        for (auto& [id, u] : uploads)
            body += fmt::format(
                "<Upload><Key>{}</Key><UploadId>{}</UploadId>"
                "<Initiated>{}</Initiated></Upload>",
                url_encode(u.key), id, fixed_time_iso);
        return make_response(req, http::status::ok, body + "</ListMultipartUploadsResult>");
    }

    response delete_objects(const request& req) {
        const std::string& body = req.body();
        for (std::size_t at = body.find("<Key>"); at != std::string::npos;
             at = body.find("<Key>", at + 1)) {
            auto end = body.find("</Key>", at);
            objects.erase(body.substr(at + 5, end - at - 5));
        }
        return make_response(req, http::status::ok,
                             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult/>");
    }

    response create_upload(const request& req, const std::string& key) {
        auto id = fmt::format("upload-{}", next_upload++);
        uploads[id] = upload{key, {}};
        return make_response(
            req, http::status::ok,
            fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult>"
                        "<Bucket>{}</Bucket><Key>{}</Key><UploadId>{}</UploadId>"
                        "</InitiateMultipartUploadResult>",
                        bucket_name, key, id));
    }

    response upload_part(const request& req, const parsed_target& t) {
        auto it = uploads.find(t.query.at("uploadId"));
        if (it == uploads.end())
            return error_response(req, http::status::not_found, "NoSuchUpload");
        it->second.parts[std::stoi(t.query.at("partNumber"))] = req.body();
        auto res = make_response(req, http::status::ok);
        res.set(http::field::etag, etag_of(req.body()));
        return res;
    }

    response complete_upload(const request& req, const parsed_target& t) {
        auto it = uploads.find(t.query.at("uploadId"));
        if (it == uploads.end())
            return error_response(req, http::status::not_found, "NoSuchUpload");
        std::string whole;
        for (auto& [n, bytes] : it->second.parts) whole += bytes;
        auto etag =
            fmt::format("\"{:016x}-{}\"", std::hash<std::string>{}(whole), it->second.parts.size());
        objects[it->second.key] = std::move(whole);
        uploads.erase(it);
        return make_response(req, http::status::ok,
                             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                             "<CompleteMultipartUploadResult><ETag>" +
                                 etag + "</ETag></CompleteMultipartUploadResult>");
    }

    response handle(const request& req, const parsed_target& t) {
        std::lock_guard lock(mutex);
        const auto m = req.method();
        const bool whole_bucket = t.key.empty();
        if (m == http::verb::get && whole_bucket && t.query.count("uploads"))
            return list_uploads(req);
        if (m == http::verb::get && whole_bucket) return list_objects(req, t);
        if (m == http::verb::get) return get_object(req, t.key);
        if (m == http::verb::head) return head_object(req, t.key);
        if (m == http::verb::post && t.query.count("delete")) return delete_objects(req);
        if (m == http::verb::post && t.query.count("uploads")) return create_upload(req, t.key);
        if (m == http::verb::post && t.query.count("uploadId")) return complete_upload(req, t);
        if (m == http::verb::put && t.query.count("uploadId")) return upload_part(req, t);
        if (m == http::verb::put) {
            // A conditional create (If-None-Match: *), as MinIO and AWS answer it.
            if (req[http::field::if_none_match] == "*" && objects.count(t.key))
                return error_response(req, http::status::precondition_failed, "PreconditionFailed");
            objects[t.key] = req.body();
            auto res = make_response(req, http::status::ok);
            res.set(http::field::etag, etag_of(req.body()));
            return res;
        }
        if (m == http::verb::delete_ && t.query.count("uploadId")) {
            uploads.erase(t.query.at("uploadId"));
            return make_response(req, http::status::no_content);
        }
        if (m == http::verb::delete_) {
            objects.erase(t.key);
            return make_response(req, http::status::no_content);
        }
        return error_response(req, http::status::not_implemented, "NotImplemented");
    }

    // ---- connections ----------------------------------------------------------

    static awaitable<void> pause(std::chrono::milliseconds d) {
        asio::steady_timer t(co_await asio::this_coro::executor, d);
        co_await t.async_wait(asio::use_awaitable);
    }

    awaitable<void> wait_while_held(const request& req) {
        if (req.method() != http::verb::put && req.method() != http::verb::post) co_return;
        auto is_held = [this] {
            std::lock_guard lock(mutex);
            return writes_held;
        };
        if (!is_held()) co_return;
        {
            std::lock_guard lock(mutex);
            ++waiting;
        }
        while (is_held()) co_await pause(2ms);
        std::lock_guard lock(mutex);
        --waiting;
    }

    // One request: faults first, then the operation. False: the connection is to close.
    awaitable<bool> serve_one(tcp::socket& socket, const request& req) {
        auto target = parse_target(req.target());
        auto method = std::string(req.method_string());
        auto rule = take_rule(method, target.key);
        co_await wait_while_held(req);
        if (rule && rule->fault == s3_fault::drop) co_return false;
        if (rule && rule->fault == s3_fault::slow) co_await pause(rule->delay);
        response res = rule && rule->fault == s3_fault::unavailable
                           ? error_response(req, http::status::service_unavailable, "SlowDown")
                       : rule && rule->fault == s3_fault::not_implemented
                           ? error_response(req, http::status::not_implemented, "NotImplemented")
                           : handle(req, target);
        if (rule && rule->fault == s3_fault::lose_response) co_return false;
        co_await http::async_write(socket, res, asio::use_awaitable);
        co_return res.keep_alive();
    }

    awaitable<void> session(tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        try {
            for (;;) {
                http::request_parser<http::string_body> parser;
                parser.body_limit(std::uint64_t{1} << 30);
                co_await http::async_read(socket, buffer, parser, asio::use_awaitable);
                if (!co_await serve_one(socket, parser.get())) break;
            }
        } catch (...) {
        }
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    awaitable<void> accept_loop() {
        for (;;) {
            auto socket = co_await acceptor.async_accept(asio::use_awaitable);
            asio::co_spawn(server.io(), session(std::move(socket)), asio::detached);
        }
    }
};

fake_s3::fake_s3() : impl_(std::make_unique<impl>()) {
    asio::co_spawn(impl_->server.io(), impl_->accept_loop(), asio::detached);
}

fake_s3::~fake_s3() {
    impl_->server.stop();
}

std::string fake_s3::endpoint() const {
    return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

storage::s3::s3_config fake_s3::config() const {
    storage::s3::s3_config cfg;
    cfg.bucket = bucket_name;
    cfg.endpoint = endpoint();
    cfg.allow_http = true;
    cfg.path_style = true;
    cfg.access_key = "fake-access";
    cfg.secret_key = "fake-secret";
    cfg.request_timeout = 10s;
    cfg.retry = {.initial_backoff = 5ms, .max_backoff = 20ms, .deadline = 2s};
    return cfg;
}

void fake_s3::add_rule(s3_rule rule) {
    std::lock_guard lock(impl_->mutex);
    impl_->rules.push_back(std::move(rule));
}

void fake_s3::clear_rules() {
    std::lock_guard lock(impl_->mutex);
    impl_->rules.clear();
}

void fake_s3::hold_writes(bool held) {
    std::lock_guard lock(impl_->mutex);
    impl_->writes_held = held;
}

int fake_s3::writes_waiting() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->waiting;
}

std::map<std::string, std::string> fake_s3::objects() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->objects;
}

std::optional<std::string> fake_s3::object(const std::string& key) const {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->objects.find(key);
    if (it == impl_->objects.end()) return std::nullopt;
    return it->second;
}

void fake_s3::put_object(const std::string& key, std::string bytes) {
    std::lock_guard lock(impl_->mutex);
    impl_->objects[key] = std::move(bytes);
}

std::vector<std::string> fake_s3::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->log;
}

}  // namespace kb::test
