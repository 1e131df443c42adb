#include "resumable.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/gcs/request.hpp>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstring>

namespace kb::storage::gcs::detail {

std::shared_ptr<resumable_session> resumable_sessions::open(std::string key, std::string target) {
    auto s = std::make_shared<resumable_session>();
    s->key = std::move(key);
    s->target = std::move(target);
    by_id_[s->target] = s;
    return s;
}

std::shared_ptr<resumable_session> resumable_sessions::find(const std::string& upload_id) const {
    auto it = by_id_.find(upload_id);
    if (it == by_id_.end())
        throw kb::error(error_class::not_found, "NoSuchUpload",
                        "no resumable upload session with this id is open in this process",
                        kb::reason::upload_missing);
    return it->second;
}

void resumable_sessions::close(const std::string& upload_id) {
    by_id_.erase(upload_id);
}

boost::asio::awaitable<void> wait_turn(std::shared_ptr<resumable_session> s, int part) {
    while (s->next_part != part) {
        if (s->failed)
            throw kb::error(
                error_class::fatal, "UploadAborted",
                fmt::format("resumable upload of {} failed before part {}", s->key, part));
        if (part < s->next_part)
            throw kb::error(error_class::fatal, "PartOutOfOrder",
                            fmt::format("part {} of {} was already uploaded", part, s->key));
        boost::asio::steady_timer t(co_await boost::asio::this_coro::executor,
                                    boost::asio::steady_timer::time_point::max());
        s->waiters.push_back(&t);
        auto wakes = s->wakes;
        auto [ec] = co_await t.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        std::erase(s->waiters, &t);
        if (ec && s->wakes == wakes) throw boost::system::system_error(ec);  // cancelled
    }
    if (s->failed)
        throw kb::error(error_class::fatal, "UploadAborted",
                        fmt::format("resumable upload of {} failed before part {}", s->key, part));
}

namespace {
void wake(resumable_session& s) {
    ++s.wakes;
    for (auto* t : s.waiters) t->cancel();
}
}  // namespace

void pass_turn(resumable_session& s) {
    ++s.next_part;
    wake(s);
}

void fail(resumable_session& s) {
    s.failed = true;
    wake(s);
}

chunk_split split_chunk(const runtime::shared_buffer& carry, const runtime::shared_buffer& part) {
    auto plan = plan_chunk(carry.size() + part.size());
    runtime::shared_buffer whole = part;
    if (carry.size() > 0) {
        // Only the < 256 KiB remainder and one part are ever joined.
        std::vector<std::byte> joined(carry.size() + part.size());
        std::memcpy(joined.data(), carry.data(), carry.size());
        if (part.size() > 0) std::memcpy(joined.data() + carry.size(), part.data(), part.size());
        whole = runtime::shared_buffer::adopt(std::move(joined));
    }
    auto keep = runtime::shared_buffer::copy_of(whole.bytes().subspan(plan.send));
    return {whole.slice(0, plan.send), std::move(keep)};
}

}  // namespace kb::storage::gcs::detail
