// The manifest owner: applies segment commits and publishes coalesced versions.
#include "coordinator.hpp"

#include <kb/runtime/log.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace kb::backup {

namespace fmtns = storage::format;

coordinator::coordinator(storage::backend& b, fmtns::backup_layout layout)
    : store_(b, std::move(layout)) {}

boost::asio::awaitable<std::optional<fmtns::manifest>> coordinator::load() {
    auto latest = co_await store_.read_latest();
    if (!latest) co_return std::nullopt;
    co_return std::move(latest->value);
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

boost::asio::awaitable<void> coordinator::commit(segment_commit c) {
    auto& p = partition(c.topic, c.partition);
    for (auto& g : c.gaps) p.retention_gaps.push_back(g);
    if (c.log_start_offset >= 0) p.log_start_offset = c.log_start_offset;
    p.end_offset = c.segment.last_offset + 1;
    p.segments.push_back(std::move(c.segment));
    co_await publish();
}

boost::asio::awaitable<void> coordinator::record_gap(std::string topic, std::int32_t partition_id,
                                                     fmtns::retention_gap gap) {
    auto& p = partition(topic, partition_id);
    p.retention_gaps.push_back(gap);
    p.end_offset = std::max(p.end_offset, gap.last_offset + 1);
    co_await publish();
}

boost::asio::awaitable<void> coordinator::publish() {
    const std::uint64_t mine = ++changed_;
    if (!wake_) {
        wake_.emplace(co_await boost::asio::this_coro::executor);
        wake_->expires_at(boost::asio::steady_timer::time_point::max());
    }
    while (published_ < mine) {
        if (publishing_) {
            co_await wait_published(mine);
            continue;
        }
        publishing_ = true;
        const std::uint64_t carrying = changed_;
        std::exception_ptr failure;
        try {
            manifest_.updated_at = std::max(fmtns::now_ms(), manifest_.created_at);
            co_await store_.publish(manifest_);
            published_ = carrying;
        } catch (...) {
            failure = std::current_exception();
        }
        publishing_ = false;
        wake_->cancel();  // wakes every waiter; they re-check
        if (failure) std::rethrow_exception(failure);
    }
}

boost::asio::awaitable<void> coordinator::wait_published(std::uint64_t) {
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
