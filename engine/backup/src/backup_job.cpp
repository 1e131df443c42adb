// backup_job::run(): wires the shards, the coordinator and the partition pipelines.
#include "coordinator.hpp"
#include "discovery.hpp"
#include "job_state.hpp"
#include "lease.hpp"
#include "metrics_server.hpp"
#include "pipeline.hpp"
#include "retention.hpp"
#include "segment_fill.hpp"
#include "segment_packer.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/runtime/retry.hpp>
#include <kb/storage/open.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>
#include <thread>

namespace kb::backup {

namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

constexpr std::chrono::seconds discovery_interval{5};

awaitable<void> open_shard(backup_job::state& st, std::size_t i) {
    auto ex = co_await boost::asio::this_coro::executor;
    auto ctx = std::make_unique<shard_context>();
    ctx->storage = storage::open_backend(ex, st.settings.storage);
    ctx->kafka = std::make_unique<kafka::client::cluster>(ex, st.settings.kafka);
    co_await ctx->kafka->bootstrap();
    st.shards[i] = std::move(ctx);
}

awaitable<void> close_shard(backup_job::state& st, std::size_t i) {
    if (!st.shards[i]) co_return;
    if (st.shards[i]->kafka) co_await st.shards[i]->kafka->close();
    st.shards[i].reset();
}

void spawn(backup_job::state& st, partition_task t) {
    auto shard = st.shard_of(t.topic, t.partition);
    auto f = st.pool->run_on(shard, run_partition(st, shard, std::move(t)));
    std::lock_guard lock(st.mutex);
    st.workers.push_back(std::move(f));
}

awaitable<void> sleep_unless_stopped(backup_job::state& st, std::chrono::milliseconds d) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor);
    for (auto left = d; left.count() > 0 && !st.stopping();
         left -= std::chrono::milliseconds(100)) {
        t.expires_after(std::chrono::milliseconds(100));
        co_await t.async_wait(boost::asio::use_awaitable);
    }
}

// A group refresh that fails for a moment keeps the previous snapshot: the data
// backup goes on, and the next pass tries again.
awaitable<void> refresh_groups_or_warn(backup_job::state& st) {
    try {
        co_await refresh_group_offsets(st, *st.shards[0]->kafka);
    } catch (const kb::error& e) {
        // An outage that outlasted the retry deadline is final for this pass only.
        bool passing = e.cls() == error_class::retryable ||
                       dynamic_cast<const kb::retries_exhausted*>(&e) != nullptr;
        if (!passing) throw;
        kb::log::warn("backup", "consumer group offsets not refreshed this time: {}", e.what());
    }
}

// Continuous mode: new topics and partitions that match the selection join the run,
// and the consumer groups' committed offsets are read again.
awaitable<void> discovery_loop(backup_job::state& st, std::set<partition_key> known) {
    try {
        while (!st.stopping()) {
            co_await sleep_unless_stopped(st, discovery_interval);
            if (st.stopping()) break;
            for (auto& t : co_await discover_new(st, *st.shards[0]->kafka, known)) spawn(st, t);
            co_await refresh_groups_or_warn(st);
            co_await apply_retention(st);
            st.metrics.set_partitions(known.size());
        }
    } catch (...) {
        st.fail(std::current_exception());
    }
}

// Waits for every pipeline, including those spawned meanwhile by discovery.
void wait_workers(backup_job::state& st, std::future<void>* discovery) {
    for (;;) {
        std::vector<std::future<void>> batch;
        {
            std::lock_guard lock(st.mutex);
            batch.swap(st.workers);
        }
        for (auto& f : batch) {
            try {
                f.get();
            } catch (...) {
                st.fail(std::current_exception());
            }
        }
        if (!batch.empty()) continue;
        if (!discovery ||
            discovery->wait_for(std::chrono::milliseconds(100)) == std::future_status::ready)
            break;
    }
    if (discovery) discovery->get();
}

// The final version carries what retention pruned (not after a failed run: OSO
// prunes only after a good one); the objects go once it is published.
awaitable<void> finalize(backup_job::state& st, bool complete) {
    auto pruned = st.first_error ? std::vector<std::string>{} : cut_for_retention(st);
    auto& m = st.coord->manifest();
    m.status = complete ? sf::backup_status::complete : sf::backup_status::in_progress;
    co_await st.coord->publish();
    co_await delete_pruned(st, std::move(pruned));
}

awaitable<void> start_coordinator(backup_job::state& st) {
    auto ex = co_await boost::asio::this_coro::executor;
    st.coordinator_storage = storage::open_backend(ex, st.settings.storage);
    st.coord = std::make_unique<coordinator>(*st.coordinator_storage, st.layout,
                                             st.settings.publish_interval);
    st.coord->on_failure = [&st](std::exception_ptr e) { st.fail(e); };
    co_return;
}

awaitable<void> stop_coordinator(backup_job::state& st) {
    if (st.coord) co_await st.coord->close();
    st.coord.reset();
    st.lease.reset();
    st.coordinator_storage.reset();
    co_return;
}

backup_summary summarize(backup_job::state& st, const backup_plan& plan) {
    backup_summary s;
    s.backup_id = st.settings.backup_id;
    s.location = storage::describe(st.settings.storage);
    s.resumed = plan.resumed;
    s.partitions = plan.known.size();
    std::map<std::string, std::int32_t> partitions;
    for (auto& k : plan.known) partitions[k.first] += 1;
    auto counters = st.metrics.topics();
    for (auto& [name, count] : partitions) {
        topic_summary t;
        t.name = name;
        t.partitions = count;
        auto it = counters.find(name);
        if (it != counters.end()) {
            t.records = it->second.records;
            t.raw_bytes = it->second.raw_bytes;
            t.stored_bytes = it->second.stored_bytes;
            t.segments = it->second.segments;
        }
        s.records += t.records;
        s.raw_bytes += t.raw_bytes;
        s.stored_bytes += t.stored_bytes;
        s.segments += t.segments;
        s.topics.push_back(std::move(t));
    }
    return s;
}

void add_manifest_facts(backup_summary& s, backup_job::state& st) {
    if (!st.coord) return;
    auto& m = st.coord->manifest();
    s.cluster_id = m.source.cluster_id;
    s.consumer_groups = m.consumer_groups.size();
    s.manifest_sequence = st.coord->sequence();
    s.pruned_segments = st.pruned_segments;
    for (auto& t : m.topics)
        for (auto& p : t.partitions) s.retention_gaps += p.retention_gaps.size();
}

// Snapshot mode knows how many offsets are left to copy, not their size: the
// progress bar estimates the bytes from what it has seen per record.
void set_progress_total(backup_job::state& st, const backup_plan& plan) {
    if (!st.settings.progress || st.settings.options.continuous) return;
    std::uint64_t offsets = 0;
    for (auto& t : plan.tasks)
        if (t.end_offset && *t.end_offset > t.next_offset)
            offsets += static_cast<std::uint64_t>(*t.end_offset - t.next_offset);
    st.settings.progress->set_total_records(offsets);
}

template <class F>
void quietly(const char* what, F&& f) {
    try {
        f();
    } catch (...) {
        kb::log::warn("backup", "{}: {}", what, kb::describe(std::current_exception()));
    }
}

}  // namespace

backup_job::backup_job(backup_settings settings)
    : st_(std::make_shared<state>(std::move(settings))) {}

backup_job::~backup_job() = default;

void backup_job::request_stop() noexcept {
    st_->user_stop.store(true);
    st_->stop.store(true);
}

std::uint16_t backup_job::metrics_port() const noexcept {
    return st_->metrics_port.load();
}

}  // namespace kb::backup

namespace kb::backup {

backup_summary backup_job::run() {
    auto& st = *st_;
    const auto t0 = std::chrono::steady_clock::now();
    st.pool = std::make_unique<runtime::shard_pool>(st.settings.shards);
    st.shards.resize(st.pool->size());
    backup_plan plan;
    bool planned = false;
    std::future<void> lease, discovery;
    std::unique_ptr<metrics_server> server;
    const bool continuous = st.settings.options.continuous;
    try {
        st.pool->run_on(0, start_coordinator(st)).get();
        for (std::size_t i = 0; i < st.pool->size(); ++i)
            st.pool->run_on(i, open_shard(st, i)).get();
        auto planning = st.pool->run_on(0, plan_backup(st, *st.shards[0]->kafka));
        auto release_lease = [&] {
            if (st.lease) lease = st.pool->run_on(0, hold_lease(*st.lease, st.lease_done));
        };
        try {
            plan = planning.get();
        } catch (...) {
            release_lease();
            throw;
        }
        release_lease();
        planned = true;
        st.metrics.set_partitions(plan.known.size());
        set_progress_total(st, plan);
        kb::log::info("backup", "backup '{}' to {}: {} partition(s), {} with records to copy{}",
                      st.settings.backup_id, storage::describe(st.settings.storage),
                      plan.known.size(), plan.tasks.size(), plan.resumed ? " (resuming)" : "");
        if (st.settings.metrics) {
            server = metrics_server::start(st);
            st.metrics_port.store(server->port());
        }
        st.compress_elsewhere = compress_elsewhere(segment_codec(st.settings.options.codec),
                                                   plan.known.size(), st.pool->size());
        if (st.compress_elsewhere)
            kb::log::info("backup", "fewer partitions than shards: frames are compressed on all {}",
                          st.pool->size());
        for (auto& t : plan.tasks) spawn(st, t);
        if (continuous) discovery = st.pool->run_on(0, discovery_loop(st, plan.known));
        wait_workers(st, continuous ? &discovery : nullptr);
    } catch (...) {
        st.fail(std::current_exception());
        wait_workers(st, discovery.valid() ? &discovery : nullptr);
    }
    const bool complete = planned && !continuous && !st.user_stop && !st.first_error;
    if (planned)
        quietly("publishing the final manifest",
                [&] { st.pool->run_on(0, finalize(st, complete)).get(); });
    if (server) server->stop();
    st.lease_done.store(true);
    if (lease.valid()) quietly("releasing the backup lease", [&] { lease.get(); });
    backup_summary s = summarize(st, plan);
    add_manifest_facts(s, st);
    for (std::size_t i = 0; i < st.pool->size(); ++i)
        quietly("closing connections", [&] { st.pool->run_on(i, close_shard(st, i)).get(); });
    quietly("closing storage", [&] { st.pool->run_on(0, stop_coordinator(st)).get(); });
    st.pool->stop();
    if (st.first_error) std::rethrow_exception(st.first_error);
    s.complete = complete;
    s.interrupted = st.user_stop.load();
    s.elapsed = std::chrono::steady_clock::now() - t0;
    return s;
}

}  // namespace kb::backup
