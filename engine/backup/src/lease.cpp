// The writer lease, with takeover of leases left by dead local processes.
#include "lease.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>

namespace kb::backup {

namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

constexpr std::chrono::seconds lease_ttl{120};

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
    return buf;
}

sf::lock_options options() {
    sf::lock_options o;
    o.ttl = lease_ttl;
    o.settle = std::chrono::milliseconds(300);
    return o;
}

}  // namespace

std::string lease_owner() {
    return fmt::format("kafka-backup@{} pid {}", host_name(), ::getpid());
}

bool owner_is_dead(const std::string& owner) {
    const std::string prefix = "kafka-backup@" + host_name() + " pid ";
    if (owner.rfind(prefix, 0) != 0) return false;
    long pid = 0;
    try {
        pid = std::stol(owner.substr(prefix.size()));
    } catch (...) {
        return false;
    }
    if (pid <= 0 || pid == ::getpid()) return false;
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

awaitable<sf::backup_lock> take_lease(storage::backend& b, sf::backup_layout layout) {
    std::exception_ptr locked;
    try {
        co_return co_await sf::backup_lock::acquire(b, layout, lease_owner(), options());
    } catch (const kb::error& e) {
        if (e.code() != "BackupLocked") throw;
        locked = std::current_exception();
    }
    auto current = co_await sf::backup_lock::read(b, layout);
    if (!current || !owner_is_dead(current->owner)) std::rethrow_exception(locked);
    kb::log::warn("backup", "taking over the lease of '{}', which is no longer running",
                  current->owner);
    co_await b.remove(layout.lock());
    co_return co_await sf::backup_lock::acquire(b, layout, lease_owner(), options());
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
        if (e.cls() == error_class::cancelled) throw;
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
        if (e.cls() == error_class::cancelled) throw;
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
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    auto last = std::chrono::steady_clock::now();
    while (!done.load()) {
        timer.expires_after(std::chrono::milliseconds(200));
        co_await timer.async_wait(boost::asio::use_awaitable);
        if (std::chrono::steady_clock::now() - last < lease_ttl / 3) continue;
        try {
            co_await lock.renew();
            last = std::chrono::steady_clock::now();
        } catch (const std::exception& e) {
            kb::log::warn("backup", "renewing the backup lease failed: {}", e.what());
        }
    }
    co_await lock.release();
}

}  // namespace kb::backup
