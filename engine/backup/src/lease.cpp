// The writer lease, with takeover of leases left by dead local processes.
#include "lease.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>

#include <chrono>

namespace kb::backup {

namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

constexpr std::chrono::seconds lease_ttl{120};

sf::lock_options options() {
    sf::lock_options o;
    o.ttl = lease_ttl;
    o.settle = std::chrono::milliseconds(300);  // only after a non-atomic create (see backup_lock)
    return o;
}

}  // namespace

awaitable<sf::backup_lock> take_lease(storage::backend& b, sf::backup_layout layout) {
    auto key = layout.lock();
    std::string who = "backup";  // named: no temporaries in a co_await (GCC 12)
    co_return co_await sf::take_lease(b, std::move(key), options(), std::move(who));
}

// Segments a killed run was streaming to disk (staged objects never renamed).
awaitable<void> discard_staged_segments(storage::backend& b, const std::string& prefix) {
    try {
        auto n = co_await b.discard_staged(prefix);
        if (n > 0)
            kb::log::info("backup",
                          "removed {} unfinished segment file(s) left under {} by an "
                          "interrupted run",
                          n, prefix);
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        kb::log::warn("backup",
                      "could not remove unfinished segment files under {}: {}; they "
                      "do not affect the backup",
                      prefix, e.what());
    }
}

awaitable<std::size_t> abort_orphan_uploads(storage::backend& b, sf::backup_layout layout) {
    const auto prefix = layout.segments_prefix();
    std::size_t aborted = 0;
    try {
        auto uploads = co_await b.list_multipart_uploads(prefix);
        for (auto& u : uploads) {
            co_await b.abort_multipart(u.key, u.upload_id);
            kb::log::debug("backup", "aborted the unfinished upload of {}", u.key);
            ++aborted;
        }
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        kb::log::warn("backup",
                      "could not clean up unfinished uploads under {} ({} aborted): {}; they "
                      "do not affect the backup",
                      prefix, aborted, e.what());
        co_return aborted;
    }
    if (aborted > 0)
        kb::log::info("backup",
                      "aborted {} unfinished multipart upload(s) left under {} by an "
                      "interrupted run",
                      aborted, prefix);
    co_await discard_staged_segments(b, prefix);
    co_return aborted;
}

awaitable<void> hold_lease(sf::backup_lock& lock, const std::atomic<bool>& done) {
    std::string who = "backup";
    co_await sf::hold_lease(lock, done, options(), std::move(who));
}

}  // namespace kb::backup
