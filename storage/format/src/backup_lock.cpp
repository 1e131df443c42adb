#include "json_reader.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>

namespace kb::storage::format {

namespace {

std::string encode(const lock_info& l) {
    nlohmann::json j = {{"owner", l.owner},
                        {"nonce", l.nonce},
                        {"acquired_at", format_timestamp(l.acquired_at)},
                        {"expires_at", format_timestamp(l.expires_at)}};
    return j.dump(2) + "\n";
}

lock_info decode(std::string_view text, const std::string& name) {
    try {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded()) detail::manifest_fail("(document)", "not valid JSON");
        detail::json_reader r(j, "");
        return {r.str("owner"), r.str("nonce"), parse_timestamp(r.str("acquired_at")),
                parse_timestamp(r.str("expires_at"))};
    } catch (const std::exception& e) {
        throw kb::error(error_class::fatal, "InvalidLock",
                        fmt::format("lock {}: {}", name, e.what()));
    }
}

std::string random_nonce() {
    std::random_device rd;
    return fmt::format("{:08x}{:08x}{:08x}", rd(), rd(), rd());
}

[[noreturn]] void locked(const std::string& name, const lock_info& l) {
    throw kb::error(
        error_class::fatal, "BackupLocked",
        fmt::format("backup is locked by '{}' until {} (lock object {}); wait for it, or "
                    "remove the lock object if that writer is gone",
                    l.owner, format_timestamp(l.expires_at), name),
        reason::backup_locked);
}

awaitable<void> sleep_for(std::chrono::milliseconds d) {
    if (d.count() <= 0) co_return;
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
    co_await t.async_wait(boost::asio::use_awaitable);
}

}  // namespace

awaitable<std::optional<lock_info>> backup_lock::read(backend& b, backup_layout layout) {
    co_return co_await read(b, layout.lock());
}

awaitable<std::optional<lock_info>> backup_lock::read(backend& b, std::string key) {
    if (!co_await b.head(key)) co_return std::nullopt;
    shared_buffer body;
    try {
        body = co_await b.get(key);
    } catch (const kb::error& e) {
        if (e.why() != reason::object_missing) throw;
        co_return std::nullopt;  // released between head and get
    }
    co_return decode(body.as_string_view(), b.describe() + "/" + key);
}

awaitable<backup_lock> backup_lock::acquire(backend& b, backup_layout layout, std::string owner,
                                            lock_options opts) {
    co_return co_await acquire(b, layout.lock(), std::move(owner), opts);
}

awaitable<backup_lock> backup_lock::acquire(backend& b, std::string key, std::string owner,
                                            lock_options opts) {
    auto name = b.describe() + "/" + key;
    auto now = now_ms();
    auto held = co_await read(b, key);
    if (held && held->expires_at > now) locked(name, *held);
    lock_info mine{std::move(owner), random_nonce(), now, now + opts.ttl};
    auto body = shared_buffer::copy_of(encode(mine));
    // A free lock is taken with a create-only put, so two runs starting together
    // cannot both win; an expired one is overwritten. When the store decided the
    // create atomically nobody else can hold it, so there is nothing to settle;
    // otherwise the pause lets a rival's write land before the read-back. The
    // read-back settles every case (and a create-only retry that lost its first
    // answer, which reports false for our own object).
    bool atomic = false;
    if (!held) {
        auto created = co_await b.put_if_absent(key, body);
        atomic = created.atomic;
    } else {
        co_await b.put(key, body);
    }
    if (!atomic) co_await sleep_for(opts.settle);
    auto back = co_await read(b, key);
    if (!back) locked(name, {"(removed while acquiring)", "", now, now});
    if (back->nonce != mine.nonce) locked(name, *back);
    co_return backup_lock(b, std::move(key), std::move(mine), opts);
}

awaitable<void> backup_lock::renew() {
    if (!b_) throw std::logic_error("renew of a backup_lock that was never acquired");
    auto name = b_->describe() + "/" + key_;
    auto back = co_await read(*b_, key_);
    if (!back || back->nonce != info_.nonce)
        throw kb::error(error_class::fatal, "LockLost",
                        fmt::format("lock {} is no longer held by '{}'", name, info_.owner));
    info_.expires_at = now_ms() + opts_.ttl;
    co_await b_->put(key_, shared_buffer::copy_of(encode(info_)));
}

awaitable<void> backup_lock::release() {
    if (!b_) co_return;
    auto back = co_await read(*b_, key_);
    if (back && back->nonce == info_.nonce) co_await b_->remove(key_);
}

}  // namespace kb::storage::format
