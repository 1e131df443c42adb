// The operations of kb::storage::backend on block blobs, each one Blob service
// call (or a few) through azure_client.

#include "client.hpp"

#include <kb/storage/azure/azure_backend.hpp>
#include <kb/storage/azure/xml.hpp>
#include <kb/storage/http/digest.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

namespace kb::storage::azure {
namespace {

using detail::azure_call;
using detail::incoming_response;
namespace bhttp = boost::beast::http;

constexpr std::uint64_t small_body_limit = 1 << 20;  // error documents
constexpr std::uint64_t listing_limit = 64 << 20;
constexpr int max_blocks = 50'000;  // a block blob's limit

std::string text_of(const incoming_response& r) {
    return {reinterpret_cast<const char*>(r.body.data()), r.body.size()};
}

std::string header(const incoming_response& r, bhttp::field f) {
    auto it = r.headers.find(f);
    return it == r.headers.end() ? std::string{} : std::string(it->value());
}

std::string unquote(std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
    return s;
}

azure_call make_call(std::string operation, std::string method, std::string blob) {
    azure_call c;
    c.operation = std::move(operation);
    c.method = std::move(method);
    c.blob = std::move(blob);
    c.body_limit = small_body_limit;
    return c;
}

// Ids for uploads: unique enough that two writers never share block ids.
std::string new_upload_id() {
    std::random_device rd;
    return fmt::format("{:08x}{:08x}", rd(), rd());
}

class azure_backend final : public backend {
  public:
    azure_backend(boost::asio::any_io_executor ex, azure_config cfg)
        : client_(std::move(ex), std::move(cfg)) {}

    std::string describe() const override { return client_.describe(); }

    awaitable<void> put(std::string key, shared_buffer body) override {
        auto c = make_call("Put Blob", "PUT", full(key));
        c.headers = {{"x-ms-blob-type", "BlockBlob"},
                     {"content-md5", http::md5_base64(body.bytes())}};
        c.body = std::move(body);
        co_await client_.call(std::move(c));
    }

    // One atomic Put Blob with If-None-Match: * (the lock's create-only put):
    // 409 BlobAlreadyExists (or 412) means another writer's blob is there.
    awaitable<create_result> put_if_absent(std::string key, shared_buffer body) override {
        auto c = make_call("Put Blob (create only)", "PUT", full(key));
        c.headers = {{"x-ms-blob-type", "BlockBlob"},
                     {"content-md5", http::md5_base64(body.bytes())},
                     {"if-none-match", "*"}};
        c.body = std::move(body);
        c.pass_statuses = {409, 412};
        auto res = co_await client_.call(std::move(c));
        co_return create_result{.created = res.status / 100 == 2, .atomic = true};
    }

    awaitable<shared_buffer> get(std::string key, std::optional<byte_range> range) override {
        if (range && range->length == 0) co_return shared_buffer{};
        auto c = make_call("Get Blob", "GET", full(key));
        c.body_limit = client_.config().max_response_bytes;
        if (range) {
            c.headers.emplace_back("x-ms-range", fmt::format("bytes={}-{}", range->offset,
                                                             range->offset + range->length - 1));
            c.body_limit = std::max<std::uint64_t>(range->length, small_body_limit);
        }
        auto res = co_await client_.call(std::move(c));
        co_return shared_buffer::adopt(std::move(res.body));
    }

    awaitable<std::optional<object_info>> head(std::string key) override {
        auto c = make_call("Get Blob Properties", "HEAD", full(key));
        c.head = true;
        c.pass_statuses = {404};
        auto res = co_await client_.call(std::move(c));
        if (res.status == 404) co_return std::nullopt;
        object_info info;
        info.key = key;
        info.etag = unquote(header(res, bhttp::field::etag));
        auto length = header(res, bhttp::field::content_length);
        info.size = length.empty() ? 0 : std::stoull(length);
        auto modified = header(res, bhttp::field::last_modified);
        if (!modified.empty()) info.last_modified = parse_http_date(modified);
        co_return info;
    }

    awaitable<list_page> list(std::string prefix, std::optional<std::string> token,
                              int max_keys) override {
        auto root = full(prefix);  // named: no temporaries in a co_await (GCC 12)
        auto listing = co_await list_blobs(std::move(root), std::move(token), max_keys, false);
        list_page page;
        page.next_token = std::move(listing.next_marker);
        for (auto& o : listing.blobs) page.objects.push_back(relative(std::move(o)));
        co_return page;
    }

    awaitable<void> remove(std::string key) override {
        auto c = make_call("Delete Blob", "DELETE", full(key));
        c.pass_statuses = {404};  // already gone: not an error, as in S3
        co_await client_.call(std::move(c));
    }

    // One Delete Blob per key (the Blob Batch API is not used): pruning is rare.
    awaitable<void> remove_many(std::vector<std::string> keys) override {
        for (auto& k : keys) co_await remove(std::move(k));
    }

    // Azure has no upload object: blocks are staged on the blob itself and
    // committed by Put Block List. The "upload id" only names our blocks.
    awaitable<std::string> create_multipart(std::string) override { co_return new_upload_id(); }

    awaitable<completed_part> upload_part(std::string key, std::string upload_id, int part_number,
                                          shared_buffer body) override {
        if (part_number < 1 || part_number > max_blocks)
            throw kb::error(error_class::fatal, "InvalidBlockNumber",
                            fmt::format("Azure Put Block {}: block number {} is outside 1..{}",
                                        full(key), part_number, max_blocks));
        auto id = block_id(upload_id, part_number);
        auto c = make_call(fmt::format("Put Block #{}", part_number), "PUT", full(key));
        c.query = {{"comp", "block"}, {"blockid", id}};
        // The service checks each block's bytes against Content-MD5 (Md5Mismatch is retried).
        c.headers = {{"content-md5", http::md5_base64(body.bytes())}};
        c.body = std::move(body);
        co_await client_.call(std::move(c));
        co_return completed_part{part_number, id};
    }

    // Put Block List naming each block as Latest: a retry after a lost answer
    // finds the same blocks committed and commits them again, unchanged.
    awaitable<void> complete_multipart(std::string key, std::string,
                                       std::vector<completed_part> parts) override {
        std::sort(parts.begin(), parts.end(),
                  [](const auto& a, const auto& b) { return a.part_number < b.part_number; });
        std::vector<std::string> ids;
        for (auto& p : parts) ids.push_back(std::move(p.etag));
        auto c = make_call("Put Block List", "PUT", full(key));
        c.query = {{"comp", "blocklist"}};
        c.body = shared_buffer::copy_of(std::string_view(block_list_xml(ids)));
        c.headers = {{"content-md5", http::md5_base64(c.body.bytes())},
                     {"content-type", "application/xml"}};
        co_await client_.call(std::move(c));
    }

    // Uncommitted blocks cannot be deleted one by one; committing an empty
    // list discards them. If-None-Match: * keeps that from replacing a blob
    // that exists (its stray blocks then expire on their own after a week).
    awaitable<void> abort_multipart(std::string key, std::string) override {
        auto c = make_call("Put Block List (abort)", "PUT", full(key));
        c.query = {{"comp", "blocklist"}};
        c.body = shared_buffer::copy_of(std::string_view(block_list_xml({})));
        c.headers = {{"if-none-match", "*"}, {"content-type", "application/xml"}};
        c.pass_statuses = {409, 412};  // the blob exists: leave it
        auto res = co_await client_.call(std::move(c));
        if (res.status / 100 == 2) co_await remove(std::move(key));
    }

    // Blobs that have staged blocks and no committed content: listed only when
    // uncommitted blobs are included.
    awaitable<std::vector<multipart_upload>> list_multipart_uploads(std::string prefix) override {
        auto root = full(prefix);
        auto with = co_await all_names(root, true);
        auto committed = co_await all_names(root, false);
        std::vector<multipart_upload> out;
        for (auto& name : with)
            if (!committed.contains(name))
                out.push_back(multipart_upload{relative_key(name), "uncommitted", {}});
        co_return out;
    }

  private:
    awaitable<blob_listing> list_blobs(std::string full_prefix, std::optional<std::string> marker,
                                       int max_keys, bool uncommitted) {
        auto c = make_call("List Blobs", "GET", "");
        c.query = {{"restype", "container"},
                   {"comp", "list"},
                   {"maxresults", std::to_string(std::clamp(max_keys, 1, 5000))}};
        if (!full_prefix.empty()) c.query.emplace_back("prefix", full_prefix);
        if (marker) c.query.emplace_back("marker", *marker);
        if (uncommitted) c.query.emplace_back("include", "uncommittedblobs");
        c.body_limit = listing_limit;
        auto res = co_await client_.call(std::move(c));
        co_return parse_blob_listing(text_of(res));
    }

    awaitable<std::set<std::string>> all_names(std::string full_prefix, bool uncommitted) {
        std::set<std::string> names;
        std::optional<std::string> marker;
        do {
            auto page = co_await list_blobs(full_prefix, marker, 5000, uncommitted);
            for (auto& b : page.blobs) names.insert(std::move(b.key));
            marker = std::move(page.next_marker);
        } while (marker);
        co_return names;
    }

    std::string full(const std::string& key) const {
        return join_key(client_.config().prefix, key);
    }

    std::string relative_key(std::string key) const {
        auto root = join_key(client_.config().prefix, "");
        if (key.starts_with(root)) key.erase(0, root.size());
        return key;
    }

    object_info relative(object_info o) const {
        o.key = relative_key(std::move(o.key));
        return o;
    }

    detail::azure_client client_;
};

std::optional<std::string> process_env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
}

}  // namespace

std::unique_ptr<backend> make_azure_backend(boost::asio::any_io_executor ex, azure_config cfg) {
    resolve_settings(cfg, process_env);
    return std::make_unique<azure_backend>(std::move(ex), std::move(cfg));
}

}  // namespace kb::storage::azure
