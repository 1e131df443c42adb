#include "gcs_client.hpp"
#include "resumable.hpp"

#include <kb/storage/gcs/gcs_backend.hpp>
#include <kb/storage/gcs/json.hpp>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace kb::storage::gcs {
namespace {

using boost::beast::http::verb;
using detail::gcs_call;
using runtime::shared_buffer;

constexpr std::uint64_t json_limit = 1 << 20;
constexpr std::uint64_t list_limit = 64ull << 20;

std::string_view text_of(const std::vector<std::byte>& body) {
    return {reinterpret_cast<const char*>(body.data()), body.size()};
}

class gcs_backend final : public backend {
  public:
    gcs_backend(boost::asio::any_io_executor ex, gcs_config cfg,
                std::optional<google_credentials> creds)
        : client_(std::move(ex), std::move(cfg), std::move(creds)) {}

    std::string describe() const override { return client_.describe(); }

    awaitable<void> put(std::string key, shared_buffer body) override {
        auto name = full(key);
        gcs_call c{.operation = "objects.insert",
                   .method = verb::post,
                   .target = simple_upload_target(bucket(), name),
                   .key = name,
                   .headers = {{"Content-Type", "application/octet-stream"}},
                   .body = std::move(body),
                   .body_limit = json_limit};
        co_await client_.call(std::move(c));
    }

    // ifGenerationMatch=0: the object is created only if it has no live generation.
    awaitable<create_result> put_if_absent(std::string key, shared_buffer body) override {
        auto name = full(key);
        gcs_call c{.operation = "objects.insert (create-only)",
                   .method = verb::post,
                   .target = simple_upload_target(bucket(), name, true),
                   .key = name,
                   .headers = {{"Content-Type", "application/octet-stream"}},
                   .body = std::move(body),
                   .body_limit = json_limit,
                   .pass_statuses = {412}};
        auto res = co_await client_.call(std::move(c));
        co_return create_result{.created = res.status != 412, .atomic = true};
    }

    awaitable<shared_buffer> get(std::string key, std::optional<byte_range> range) override {
        if (range && range->length == 0) co_return shared_buffer{};
        auto name = full(key);
        gcs_call c{.operation = "objects.get", .target = media_target(bucket(), name), .key = name};
        if (range) {
            c.headers.emplace_back("Range", range_header(range->offset, range->length));
            c.body_limit = range->length + json_limit;
        }
        auto res = co_await client_.call(std::move(c));
        co_return shared_buffer::adopt(std::move(res.body));
    }

    awaitable<std::optional<object_info>> head(std::string key) override {
        auto name = full(key);
        gcs_call c{.operation = "objects.get",
                   .target = object_target(bucket(), name),
                   .key = name,
                   .body_limit = json_limit,
                   .pass_statuses = {404}};
        auto res = co_await client_.call(std::move(c));
        if (res.status == 404) co_return std::nullopt;
        auto info = parse_object(text_of(res.body));
        info.key = std::move(key);
        co_return info;
    }

    awaitable<list_page> list(std::string prefix, std::optional<std::string> token,
                              int max_keys) override {
        auto root = client_.config().prefix;
        auto full_prefix = root.empty() ? prefix : root + "/" + prefix;
        gcs_call c{.operation = "objects.list",
                   .target = list_target(bucket(), full_prefix, token, max_keys),
                   .body_limit = list_limit};
        auto res = co_await client_.call(std::move(c));
        auto page = parse_list(text_of(res.body));
        auto strip = root.empty() ? 0 : root.size() + 1;
        for (auto& o : page.objects) o.key = o.key.substr(std::min(strip, o.key.size()));
        co_return page;
    }

    awaitable<void> remove(std::string key) override {
        auto name = full(key);
        gcs_call c{.operation = "objects.delete",
                   .method = verb::delete_,
                   .target = object_target(bucket(), name),
                   .key = name,
                   .body_limit = json_limit,
                   .pass_statuses = {404}};
        co_await client_.call(std::move(c));
    }

    // The JSON API's batch endpoint is multipart/mixed; deletes one by one keep
    // the classification per object simple, and are few (prune, cleanup).
    awaitable<void> remove_many(std::vector<std::string> keys) override {
        for (auto& k : keys) co_await remove(std::move(k));
    }

    awaitable<std::string> create_multipart(std::string key) override {
        auto name = full(key);
        gcs_call c{.operation = "objects.insert (resumable start)",
                   .method = verb::post,
                   .target = resumable_start_target(bucket(), name),
                   .key = name,
                   .headers = {{"X-Upload-Content-Type", "application/octet-stream"}},
                   .body_limit = json_limit};
        auto res = co_await client_.call(std::move(c));
        auto target = target_of_location(std::string(res.headers["Location"]));
        if (target.empty())
            throw kb::error(error_class::fatal, "InvalidResponse",
                            fmt::format("GCS started a resumable upload of gs://{}/{} without a "
                                        "session Location",
                                        bucket(), name));
        sessions_.open(std::move(key), target);
        co_return target;
    }

    awaitable<completed_part> upload_part(std::string key, std::string upload_id, int part_number,
                                          shared_buffer body) override {
        auto s = sessions_.find(upload_id);
        co_await detail::wait_turn(s, part_number);
        auto size = body.size();
        try {
            auto split = detail::split_chunk(s->carry, body);
            std::optional<std::uint64_t> unknown_total;
            if (split.send.size() > 0) co_await send_chunk(*s, key, split.send, unknown_total);
            s->carry = std::move(split.keep);
        } catch (...) {
            detail::fail(*s);
            throw;
        }
        detail::pass_turn(*s);
        co_return completed_part{part_number, fmt::format("{}", size)};
    }

    awaitable<void> complete_multipart(std::string key, std::string upload_id,
                                       std::vector<completed_part> parts) override {
        auto s = sessions_.find(upload_id);
        co_await detail::wait_turn(s, static_cast<int>(parts.size()) + 1);
        auto last = s->carry;
        std::optional<std::uint64_t> total = s->sent + last.size();
        try {
            co_await send_chunk(*s, key, last, total);
        } catch (...) {
            detail::fail(*s);
            throw;
        }
        sessions_.close(upload_id);
    }

    // Real GCS answers a cancelled session with 499; the emulator does too.
    awaitable<void> abort_multipart(std::string key, std::string upload_id) override {
        auto name = full(key);
        try {
            detail::fail(*sessions_.find(upload_id));
        } catch (const kb::error&) {
        }
        sessions_.close(upload_id);
        gcs_call c{.operation = "objects.insert (resumable cancel)",
                   .method = verb::delete_,
                   .target = upload_id,
                   .key = name,
                   .body_limit = json_limit,
                   .pass_statuses = {404, 410, 499}};
        co_await client_.call(std::move(c));
    }

    // GCS has no call that lists resumable sessions: an unfinished one holds no
    // object and expires after a week, so there is nothing to clean up.
    awaitable<std::vector<multipart_upload>> list_multipart_uploads(std::string) override {
        co_return std::vector<multipart_upload>{};
    }

  private:
    const std::string& bucket() const { return client_.config().bucket; }
    std::string full(std::string_view key) const { return join_key(client_.config().prefix, key); }

    // A non-final chunk is answered 308 (more expected); the final one 200/201.
    awaitable<void> send_chunk(detail::resumable_session& s, const std::string& key,
                               shared_buffer bytes, std::optional<std::uint64_t> total) {
        auto name = full(key);
        auto length = bytes.size();
        gcs_call c{.operation = "objects.insert (resumable chunk)",
                   .method = verb::put,
                   .target = s.target,
                   .key = name,
                   .headers = {{"Content-Range", content_range(s.sent, length, total)}},
                   .body = std::move(bytes),
                   .body_limit = json_limit,
                   .pass_statuses = {308}};
        auto res = co_await client_.call(std::move(c));
        if (!total && res.status != 308)
            throw kb::error(error_class::fatal, "InvalidResponse",
                            fmt::format("GCS finished the resumable upload of gs://{}/{} before "
                                        "its last chunk (HTTP {})",
                                        bucket(), name, res.status));
        s.sent += length;
    }

    detail::gcs_client client_;
    detail::resumable_sessions sessions_;
};

std::optional<google_credentials> load_credentials(const gcs_config& cfg) {
    if (cfg.anonymous) return std::nullopt;
    std::ifstream in(cfg.credentials_file, std::ios::binary);
    if (!in)
        throw kb::error(error_class::auth, "NoCredentials",
                        fmt::format("cannot read the Google credentials file {}: check "
                                    "storage.service_account_path or "
                                    "GOOGLE_APPLICATION_CREDENTIALS",
                                    cfg.credentials_file));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_credentials(text.str(), cfg.credentials_file);
}

}  // namespace

std::unique_ptr<backend> make_gcs_backend(boost::asio::any_io_executor ex, gcs_config cfg) {
    if (cfg.bucket.empty())
        throw kb::error(error_class::fatal, "InvalidConfig", "storage.bucket is not set");
    if (cfg.max_connections < 1)
        throw kb::error(error_class::fatal, "InvalidConfig",
                        "storage.max_connections must be at least 1");
    resolve_environment(cfg);
    auto creds = load_credentials(cfg);
    return std::make_unique<gcs_backend>(std::move(ex), std::move(cfg), std::move(creds));
}

}  // namespace kb::storage::gcs
