// The manifest owner: applies segment commits and publishes batched versions.
#include "coordinator.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace kb::backup {

namespace fmtns = storage::format;
using boost::asio::awaitable;
using steady = std::chrono::steady_clock;

coordinator::coordinator(storage::backend& b, fmtns::backup_layout layout,
                         std::chrono::milliseconds publish_interval)
    : store_(b, std::move(layout)), interval_(publish_interval) {}

awaitable<std::optional<fmtns::manifest>> coordinator::load() {
    auto latest = co_await store_.read_latest();
    if (!latest) co_return std::nullopt;
    co_return std::move(latest->value);
}

awaitable<void> coordinator::tidy() {
    const auto& id = store_.layout().backup_id();
    try {
        if (auto n = co_await store_.remove_stale_temporaries())
            kb::log::info("backup",
                          "removed {} temporary manifest file(s) of '{}' left by an "
                          "interrupted run",
                          n, id);
        if (auto n = co_await store_.prune(store_.versions_kept()))
            kb::log::info("backup", "deleted {} old manifest version(s) of '{}' (keeping {})", n,
                          id, store_.versions_kept());
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        kb::log::warn("backup",
                      "could not tidy the manifests of '{}': {}; they do not affect "
                      "the backup",
                      id, e.what());
    }
}

fmtns::partition_manifest& coordinator::partition(const std::string& topic, std::int32_t p) {
    auto* t = manifest_.find_topic(topic);
    if (!t) throw std::logic_error("backup: commit for unknown topic " + topic);
    std::erase(t->empty_partitions, p);
    auto it = std::find_if(t->partitions.begin(), t->partitions.end(),
                           [&](auto& pm) { return pm.partition == p; });
    if (it != t->partitions.end()) return *it;
    fmtns::partition_manifest pm;
    pm.partition = p;
    auto pos = std::lower_bound(t->partitions.begin(), t->partitions.end(), p,
                                [](auto& a, std::int32_t v) { return a.partition < v; });
    return *t->partitions.insert(pos, std::move(pm));
}

awaitable<void> coordinator::commit(segment_commit c) {
    auto& p = partition(c.topic, c.partition);
    for (auto& g : c.gaps) p.retention_gaps.push_back(g);
    if (c.log_start_offset >= 0) p.log_start_offset = c.log_start_offset;
    if (p.start_offset < 0 && p.segments.empty()) p.start_offset = c.start_offset;
    p.end_offset = c.segment.last_offset + 1;
    p.segments.push_back(std::move(c.segment));
    // The segment's key is of this version's shape (a resumed older backup moves up).
    manifest_.format_version = storage::format::manifest_version;
    co_await changed();
}

awaitable<void> coordinator::record_gap(std::string topic, std::int32_t partition_id,
                                        fmtns::retention_gap gap) {
    auto& p = partition(topic, partition_id);
    p.retention_gaps.push_back(gap);
    p.end_offset = std::max(p.end_offset, gap.last_offset + 1);
    co_await changed();
}

// The configured interval, stretched for a large manifest (see coordinator.hpp).
std::chrono::milliseconds coordinator::interval() const {
    if (interval_.count() <= 0) return interval_;
    const auto by_size =
        std::chrono::milliseconds(store_.last_size() * 1000 / publish_bytes_per_second);
    return std::clamp(by_size, interval_, std::max(interval_, max_publish_interval));
}

bool coordinator::due() const {
    return interval_.count() <= 0 || !committed_once_ ||
           steady::now() - last_publish_ >= interval();
}

// A commit publishes at once when due and nothing is in flight; otherwise a
// deferred publish (one at a time) carries it, and the commit returns.
awaitable<void> coordinator::changed() {
    const std::uint64_t mine = ++changed_;
    if (auto e = std::exchange(deferred_failure_, nullptr)) std::rethrow_exception(e);
    if (!publishing_ && due()) {
        committed_once_ = true;
        co_await publish_through(mine);
        co_return;
    }
    if (deferred_ || closed_) co_return;
    deferred_ = true;
    ++running_;
    boost::asio::co_spawn(co_await boost::asio::this_coro::executor, deferred_publish(),
                          boost::asio::detached);
}

awaitable<void> coordinator::deferred_publish() {
    try {
        if (!deferred_timer_) deferred_timer_.emplace(co_await boost::asio::this_coro::executor);
        // A full interval after the last publish ends, also when one is in flight now.
        while (!closed_ && (publishing_ || steady::now() < last_publish_ + interval())) {
            if (publishing_) {
                co_await wait_published();
                continue;
            }
            deferred_timer_->expires_at(last_publish_ + interval());
            co_await deferred_timer_->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        }
        deferred_ = false;  // commits from here on schedule the next one
        if (!closed_ && published_ < changed_) co_await publish_through(changed_);
    } catch (...) {
        deferred_ = false;
        deferred_failure_ = std::current_exception();
        if (on_failure) on_failure(deferred_failure_);
    }
    --running_;
    if (wake_) wake_->cancel();
}

awaitable<void> coordinator::publish() {
    co_await publish_through(++changed_);
}

awaitable<void> coordinator::publish_through(std::uint64_t mine) {
    if (!wake_) {
        wake_.emplace(co_await boost::asio::this_coro::executor);
        wake_->expires_at(boost::asio::steady_timer::time_point::max());
    }
    while (published_ < mine) {
        if (publishing_) {
            co_await wait_published();
            continue;
        }
        publishing_ = true;
        const std::uint64_t carrying = changed_;
        std::exception_ptr failure;
        try {
            manifest_.updated_at = std::max(fmtns::now_ms(), manifest_.created_at);
            co_await store_.publish(manifest_);
            published_ = carrying;
            last_publish_ = steady::now();
        } catch (...) {
            failure = std::current_exception();
        }
        publishing_ = false;
        wake_->cancel();  // wakes every waiter; they re-check
        if (failure) std::rethrow_exception(failure);
    }
}

awaitable<void> coordinator::close() {
    closed_ = true;
    if (deferred_timer_) deferred_timer_->cancel();
    while (running_ > 0) co_await wait_published();
}

awaitable<void> coordinator::wait_published() {
    if (!wake_) {
        wake_.emplace(co_await boost::asio::this_coro::executor);
        wake_->expires_at(boost::asio::steady_timer::time_point::max());
    }
    co_await wake_->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

std::optional<std::int64_t> resume_offset(const fmtns::manifest& m, const std::string& topic,
                                          std::int32_t partition) {
    auto* t = m.find_topic(topic);
    if (!t) return std::nullopt;
    for (auto& p : t->partitions) {
        if (p.partition != partition) continue;
        std::optional<std::int64_t> at;
        if (!p.segments.empty()) at = p.segments.back().last_offset + 1;
        for (auto& g : p.retention_gaps)
            if (!at || g.last_offset + 1 > *at) at = g.last_offset + 1;
        return at;
    }
    return std::nullopt;
}

}  // namespace kb::backup
