// The restore's lease (see restore_lease.hpp).
#include "restore_lease.hpp"

#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/runtime/shard_pool.hpp>
#include <kb/storage/format/lease.hpp>
#include <kb/storage/open.hpp>

#include <fmt/format.h>

#include <atomic>
#include <future>
#include <optional>

namespace kb::restore::detail {

namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

sf::lock_options options() {
    sf::lock_options o;
    o.ttl = std::chrono::seconds(120);
    o.settle = std::chrono::milliseconds(300);  // only after a non-atomic create (see backup_lock)
    return o;
}

// "restore r-... of backup 'b' into ... is already running: kafka-backup@host pid N
// started it at T; ..." from the lease that refused us (or the original error).
awaitable<sf::backup_lock> take_or_name_holder(storage::backend& b, std::string key,
                                               std::string what) {
    std::exception_ptr refused;
    try {
        std::string who = "restore";  // named: no temporaries in a co_await (GCC 12)
        co_return co_await sf::take_lease(b, key, options(), std::move(who));
    } catch (const kb::error& e) {
        if (e.why() != kb::reason::backup_locked) throw;
        refused = std::current_exception();
    }
    auto holder = co_await sf::backup_lock::read(b, key);
    if (!holder) std::rethrow_exception(refused);
    throw kb::error(
        error_class::fatal, "RestoreRunning",
        fmt::format("{} is already running: {} started it at {} (lease {}/{}); wait for it to "
                    "end, or remove the lease object if that process is gone",
                    what, holder->owner, sf::format_timestamp(holder->acquired_at), b.describe(),
                    key));
}

}  // namespace

struct restore_lease::impl {
    runtime::shard_pool pool{1};
    std::unique_ptr<storage::backend> backend;
    sf::backup_lock lock;
    std::atomic<bool> done{false};
    std::future<void> held;
};

restore_lease::restore_lease() : impl_(std::make_unique<impl>()) {}

std::unique_ptr<restore_lease> restore_lease::take(const storage::location& where,
                                                   const std::string& backup_id,
                                                   const std::string& restore_id,
                                                   const std::string& target) {
    std::unique_ptr<restore_lease> lease(new restore_lease());
    auto& i = *lease->impl_;
    i.backend = storage::open_backend(i.pool.executor(0), where);
    sf::backup_layout layout(backup_id);
    auto key = fmt::format("{}{}/lock.json", restores_prefix(layout), restore_id);
    auto what = fmt::format("restore {} of backup '{}' into {}", restore_id, backup_id, target);
    i.lock = i.pool.run_on(0, take_or_name_holder(*i.backend, key, what)).get();
    i.held = i.pool.run_on(0, sf::hold_lease(i.lock, i.done, options(), "restore"));
    return lease;
}

restore_lease::~restore_lease() {
    if (!impl_) return;
    impl_->done.store(true);
    try {
        if (impl_->held.valid()) impl_->held.get();
    } catch (const std::exception& e) {
        kb::log::warn("restore", "releasing the restore lease failed: {}", e.what());
    }
    impl_->pool.stop();
}

}  // namespace kb::restore::detail
