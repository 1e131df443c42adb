// The S3 operations of kb::storage::backend, each one S3 API call through s3_client.

#include "s3_client.hpp"

#include <kb/runtime/log.hpp>
#include <kb/storage/s3/xml.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

namespace kb::storage::s3 {
namespace {

using detail::incoming_response;
using detail::s3_call;
namespace http = boost::beast::http;

constexpr std::size_t delete_batch = 1000;           // DeleteObjects' per-request maximum
constexpr std::uint64_t small_body_limit = 1 << 20;  // XML answers and error documents

std::string text_of(const incoming_response& r) {
    return {reinterpret_cast<const char*>(r.body.data()), r.body.size()};
}

std::string header(const incoming_response& r, http::field f) {
    auto it = r.headers.find(f);
    return it == r.headers.end() ? std::string{} : std::string(it->value());
}

std::string unquote(std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
    return s;
}

std::string range_header(byte_range r) {
    return fmt::format("bytes={}-{}", r.offset, r.offset + r.length - 1);
}

// A call with the fields every operation sets; the rest are filled in by the caller.
s3_call make_call(std::string operation, std::string method, std::string key) {
    s3_call c;
    c.operation = std::move(operation);
    c.method = std::move(method);
    c.key = std::move(key);
    c.body_limit = small_body_limit;
    return c;
}

// Once per process, however many shards meet it.
void warn_conditional_put_unsupported() {
    static std::atomic<bool> said{false};
    if (said.exchange(true)) return;
    log::warn("s3.put_if_absent",
              "the store does not support If-None-Match on PUT (501): locks are taken with a "
              "HEAD then a PUT and a settle pause");
}

class s3_backend final : public backend {
  public:
    s3_backend(boost::asio::any_io_executor ex, s3_config cfg)
        : client_(std::move(ex), std::move(cfg)) {}

    std::string describe() const override { return client_.describe(); }

    awaitable<void> put(std::string key, shared_buffer body) override {
        auto c = make_call("PutObject", "PUT", full(key));
        add_sse(c, sse_use::create);
        c.headers.push_back({"content-md5", md5_base64(body.bytes())});
        c.body = std::move(body);
        co_await client_.call(std::move(c));
    }

    // One PutObject with If-None-Match: * (AWS since 2024, MinIO): 412 means the key
    // exists, 409 that a rival's conditional write to it is in flight (it wins).
    // A store that answers 501 NotImplemented gets the head-then-put fallback from
    // then on, said once in the log.
    awaitable<create_result> put_if_absent(std::string key, shared_buffer body) override {
        if (!conditional_put_unsupported_) {
            auto c = make_call("PutObject (create only)", "PUT", full(key));
            add_sse(c, sse_use::create);
            c.headers.push_back({"content-md5", md5_base64(body.bytes())});
            c.headers.push_back({"if-none-match", "*"});
            c.body = body;
            c.pass_statuses = {409, 412, 501};
            auto res = co_await client_.call(std::move(c));
            if (res.status != 501)
                co_return create_result{.created = res.status / 100 == 2, .atomic = true};
            conditional_put_unsupported_ = true;
            warn_conditional_put_unsupported();
        }
        auto fallback = co_await backend::put_if_absent(std::move(key), std::move(body));
        co_return fallback;
    }

    awaitable<shared_buffer> get(std::string key, std::optional<byte_range> range) override {
        if (range && range->length == 0) co_return shared_buffer{};
        auto c = make_call("GetObject", "GET", full(key));
        add_sse(c, sse_use::read);
        c.body_limit = client_.config().max_response_bytes;
        if (range) {
            c.headers.push_back({"range", range_header(*range)});
            c.body_limit = std::max<std::uint64_t>(range->length, small_body_limit);
        }
        auto res = co_await client_.call(std::move(c));
        bool whole_object = res.status == 200;
        auto bytes = shared_buffer::adopt(std::move(res.body));
        // A server that ignores Range answers 200 with the whole object.
        if (range && whole_object) co_return clip(bytes, *range);
        co_return bytes;
    }

    awaitable<std::optional<object_info>> head(std::string key) override {
        auto c = make_call("HeadObject", "HEAD", full(key));
        add_sse(c, sse_use::read);
        c.head = true;
        c.pass_statuses = {404};
        auto res = co_await client_.call(std::move(c));
        if (res.status == 404) co_return std::nullopt;
        object_info info;
        info.key = key;
        info.etag = unquote(header(res, http::field::etag));
        auto length = header(res, http::field::content_length);
        info.size = length.empty() ? 0 : std::stoull(length);
        auto modified = header(res, http::field::last_modified);
        if (!modified.empty()) info.last_modified = parse_http_date(modified);
        co_return info;
    }

    awaitable<list_page> list(std::string prefix, std::optional<std::string> token,
                              int max_keys) override {
        auto c = make_call("ListObjectsV2", "GET", "");
        c.query = {{"list-type", "2"},
                   {"prefix", full(prefix)},
                   {"max-keys", std::to_string(std::clamp(max_keys, 1, 1000))},
                   {"encoding-type", "url"}};
        if (token) c.query.emplace_back("continuation-token", *token);
        c.body_limit = 64 << 20;
        auto res = co_await client_.call(std::move(c));
        auto parsed = parse_list_objects_v2(text_of(res), true);
        list_page page;
        page.next_token = std::move(parsed.next_token);
        for (auto& o : parsed.objects) page.objects.push_back(relative(std::move(o)));
        co_return page;
    }

    awaitable<void> remove(std::string key) override {
        auto c = make_call("DeleteObject", "DELETE", full(key));
        c.pass_statuses = {404};
        co_await client_.call(std::move(c));
    }

    awaitable<void> remove_many(std::vector<std::string> keys) override {
        for (std::size_t i = 0; i < keys.size(); i += delete_batch) {
            auto end = std::min(keys.size(), i + delete_batch);
            std::vector<std::string> batch;
            for (auto k = i; k < end; ++k) batch.push_back(full(keys[k]));
            co_await delete_batch_of(std::move(batch));
        }
    }

    awaitable<std::string> create_multipart(std::string key) override {
        auto c = make_call("CreateMultipartUpload", "POST", full(key));
        add_sse(c, sse_use::create);
        c.query = {{"uploads", ""}};
        auto res = co_await client_.call(std::move(c));
        co_return parse_upload_id(text_of(res));
    }

    awaitable<completed_part> upload_part(std::string key, std::string upload_id, int part_number,
                                          shared_buffer body) override {
        check_part_number(key, part_number);
        auto c = make_call(fmt::format("UploadPart #{}", part_number), "PUT", full(key));
        add_sse(c, sse_use::part);
        c.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
        // Content-MD5: the server verifies each part's bytes and rejects a corrupted one.
        c.headers.push_back({"content-md5", md5_base64(body.bytes())});
        c.body = std::move(body);
        auto res = co_await client_.call(std::move(c));
        auto etag = unquote(header(res, http::field::etag));
        if (etag.empty()) throw protocol_error("UploadPart", key, "the response has no ETag");
        co_return completed_part{part_number, etag};
    }

    awaitable<void> complete_multipart(std::string key, std::string upload_id,
                                       std::vector<completed_part> parts) override {
        auto part_count = parts.size();
        auto c = make_call("CompleteMultipartUpload", "POST", full(key));
        c.query = {{"uploadId", upload_id}};
        c.headers.push_back({"content-type", "application/xml"});
        c.body = shared_buffer::copy_of(std::string_view(complete_multipart_xml(std::move(parts))));
        auto ctx = client_.context(c);
        incoming_response res;
        std::exception_ptr gone;
        try {
            res = co_await client_.call(std::move(c));
        } catch (const kb::error& e) {
            if (e.why() != reason::upload_missing) throw;
            gone = std::current_exception();
        }
        // A retry whose first attempt completed (but whose answer was lost) finds no
        // upload left; the object with a multipart ETag of this many parts shows it.
        if (gone && !co_await completed_with(key, part_count)) std::rethrow_exception(gone);
        // S3 may answer 200 and still report a failure in the body.
        auto text = text_of(res);
        if (parse_error_document(text)) throw s3_error(500, text, ctx);
    }

    awaitable<void> abort_multipart(std::string key, std::string upload_id) override {
        auto c = make_call("AbortMultipartUpload", "DELETE", full(key));
        c.query = {{"uploadId", upload_id}};
        // 404 NoSuchUpload: already aborted or completed; either way nothing is left behind.
        c.pass_statuses = {404};
        co_await client_.call(std::move(c));
    }

    awaitable<std::vector<multipart_upload>> list_multipart_uploads(std::string prefix) override {
        auto root = full(prefix);
        auto found = co_await uploads_under(root, root);
        // MinIO reads a ListMultipartUploads prefix as one exact key and answers
        // nothing for a real prefix; when nothing came back, list the whole bucket
        // and keep our prefix here. (Uploads in progress are few, even bucket-wide.)
        const std::string whole_bucket;
        if (found.empty() && !root.empty()) found = co_await uploads_under(whole_bucket, root);
        co_return found;
    }

  private:
    // The store's encryption headers for a request that creates, writes or reads an object.
    void add_sse(s3_call& c, sse_use use) const {
        for (auto& h : sse_headers(client_.config().sse, use)) c.headers.push_back(std::move(h));
    }

    // Every page of ListMultipartUploads sent with `server_prefix`, keeping the
    // uploads whose full key starts with `wanted`; keys come back relative.
    awaitable<std::vector<multipart_upload>> uploads_under(std::string server_prefix,
                                                           std::string wanted) {
        std::vector<multipart_upload> out;
        std::string key_marker, id_marker;
        for (;;) {
            auto c = make_call("ListMultipartUploads", "GET", "");
            c.query = {{"uploads", ""}, {"encoding-type", "url"}, {"max-uploads", "1000"}};
            if (!server_prefix.empty()) c.query.emplace_back("prefix", server_prefix);
            if (!key_marker.empty()) c.query.emplace_back("key-marker", key_marker);
            if (!id_marker.empty()) c.query.emplace_back("upload-id-marker", id_marker);
            c.body_limit = 64 << 20;
            auto res = co_await client_.call(std::move(c));
            auto page = parse_list_multipart_uploads(text_of(res), true);
            for (auto& u : page.uploads) {
                if (!u.key.starts_with(wanted)) continue;
                u.key = relative_key(std::move(u.key));
                out.push_back(std::move(u));
            }
            if (!page.truncated) break;
            if (page.next_key_marker == key_marker && page.next_upload_id_marker == id_marker)
                throw protocol_error("ListMultipartUploads", "",
                                     "the listing did not advance past its markers");
            key_marker = std::move(page.next_key_marker);
            id_marker = std::move(page.next_upload_id_marker);
        }
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.key < b.key; });
        co_return out;
    }

    std::string relative_key(std::string key) const {
        auto root = join_key(client_.config().prefix, "");
        if (key.starts_with(root)) key.erase(0, root.size());
        return key;
    }

    awaitable<bool> completed_with(std::string key, std::size_t part_count) {
        auto info = co_await head(std::move(key));
        co_return info && info->etag.ends_with(fmt::format("-{}", part_count));
    }

    std::string full(const std::string& key) const {
        return join_key(client_.config().prefix, key);
    }

    object_info relative(object_info o) const {
        o.key = relative_key(std::move(o.key));
        return o;
    }

    static shared_buffer clip(const shared_buffer& whole, byte_range r) {
        if (r.offset >= whole.size()) return {};
        return whole.slice(r.offset, std::min<std::uint64_t>(r.length, whole.size() - r.offset));
    }

    kb::error protocol_error(std::string op, const std::string& key, std::string_view why) const {
        return kb::error(
            error_class::fatal, "ProtocolError",
            fmt::format("S3 {} s3://{}/{}: {}", op, client_.config().bucket, full(key), why));
    }

    void check_part_number(const std::string& key, int n) const {
        if (n < 1 || n > 10'000)
            throw protocol_error("UploadPart", key,
                                 fmt::format("part number {} is outside 1..10000", n));
    }

    awaitable<void> delete_batch_of(std::vector<std::string> full_keys) {
        auto c = make_call("DeleteObjects", "POST", "");
        c.query = {{"delete", ""}};
        c.body = shared_buffer::copy_of(std::string_view(delete_objects_xml(full_keys)));
        // S3 requires Content-MD5 (or a checksum header) on DeleteObjects.
        c.headers.push_back({"content-md5", md5_base64(c.body.bytes())});
        c.headers.push_back({"content-type", "application/xml"});
        c.body_limit = 64 << 20;
        auto res = co_await client_.call(std::move(c));
        auto failures = parse_delete_result(text_of(res));
        if (failures.empty()) co_return;
        const auto& f = failures.front();
        throw kb::error(classify_code(f.code, 200), f.code,
                        fmt::format("S3 DeleteObjects could not delete {} of {} keys; first "
                                    "s3://{}/{}: {}: {}",
                                    failures.size(), full_keys.size(), client_.config().bucket,
                                    f.key, f.code, f.message),
                        reason_of_code(f.code, 200));
    }

    detail::s3_client client_;
    bool conditional_put_unsupported_ = false;
};

}  // namespace

std::unique_ptr<backend> make_s3_backend(boost::asio::any_io_executor ex, s3_config cfg) {
    resolve_endpoint(cfg);
    detail::validate(cfg);
    check(cfg.sse);
    // The store would refuse it anyway, after the key had crossed the network in clear.
    if (cfg.sse.mode == sse_mode::customer && cfg.endpoint.rfind("http://", 0) == 0)
        throw kb::error(kb::error_class::fatal, "InsecureEncryptionKey",
                        "SSE-C sends the encryption key with every request, so S3 accepts it only "
                        "over https; the endpoint " +
                            cfg.endpoint + " is plain http");
    resolve_credentials(cfg);
    return std::make_unique<s3_backend>(std::move(ex), std::move(cfg));
}

}  // namespace kb::storage::s3
