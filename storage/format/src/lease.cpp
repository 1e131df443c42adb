// Job leases, with takeover of leases left by dead local processes (see lease.hpp).
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/format/lease.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>

namespace kb::storage::format {

namespace {

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
    return buf;
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

awaitable<backup_lock> take_lease(backend& b, std::string key, lock_options opts,
                                  std::string what) {
    std::exception_ptr locked;
    try {
        auto owner = lease_owner();
        co_return co_await backup_lock::acquire(b, key, std::move(owner), opts);
    } catch (const kb::error& e) {
        if (e.why() != reason::backup_locked) throw;
        locked = std::current_exception();
    }
    auto current = co_await backup_lock::read(b, key);
    if (!current || !owner_is_dead(current->owner)) std::rethrow_exception(locked);
    // Expected after a kill -9 (the re-run resumes): information, not a warning.
    kb::log::info(what, "taking over the lease of '{}', which is no longer running",
                  current->owner);
    co_await b.remove(key);
    auto owner = lease_owner();
    co_return co_await backup_lock::acquire(b, key, std::move(owner), opts);
}

awaitable<void> hold_lease(backup_lock& lock, const std::atomic<bool>& done, lock_options opts,
                           std::string what) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    auto last = std::chrono::steady_clock::now();
    while (!done.load()) {
        timer.expires_after(std::chrono::milliseconds(200));
        co_await timer.async_wait(boost::asio::use_awaitable);
        if (std::chrono::steady_clock::now() - last < opts.ttl / 3) continue;
        try {
            co_await lock.renew();
            last = std::chrono::steady_clock::now();
        } catch (const std::exception& e) {
            kb::log::warn(what, "renewing the {} lease failed: {}", what, e.what());
        }
    }
    co_await lock.release();
}

}  // namespace kb::storage::format
