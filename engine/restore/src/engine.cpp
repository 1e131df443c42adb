// plan_restore / run_restore: wiring of plan, shards, topic creation, checkpoint,
// offset mapping and group translation (see restore.hpp).
#include "acls.hpp"
#include "checkpoint.hpp"
#include "groups.hpp"
#include "partition_restore.hpp"
#include "plan.hpp"
#include "restore_lease.hpp"
#include "resume.hpp"
#include "retention_check.hpp"
#include "size_check.hpp"

#include <kb/config/config.hpp>
#include <kb/connect/kafka.hpp>
#include <kb/kafka/client/admin.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/runtime/run_blocking.hpp>
#include <kb/runtime/shard_pool.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/open.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>

namespace kb::restore {

namespace kc = kafka::client;
namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

// Runs a control-plane step to completion on a private io_context.
template <class F>
auto run_here(F make) {
    boost::asio::io_context io;
    return runtime::run_blocking(io, make(io.get_executor()));
}

kc::client_config target_config(const restore_request& req) {
    if (!req.cfg.target || req.cfg.target->bootstrap_servers.empty())
        throw kb::error(error_class::fatal, "INVALID_CONFIG",
                        "restore needs target.bootstrap_servers (--bootstrap-servers)");
    auto out = connect::client_config(*req.cfg.target, connect::client_role::restore);
    out.retry.deadline = config::retry_deadline(req.cfg.engine, false);
    return out;
}

awaitable<restore_plan> make_plan(boost::asio::any_io_executor ex, const restore_request& req,
                                  bool with_target) {
    auto backend = storage::open_backend(ex, req.location);
    auto manifest = co_await detail::load_manifest(*backend, req.cfg.backup_id);
    auto plan = detail::build_plan(manifest, req.cfg);
    if (!with_target) co_return plan;
    kc::cluster c(ex, target_config(req));
    co_await c.bootstrap();
    co_await detail::preflight(c, plan, req.cfg.restore);
    co_await detail::check_target_limits(c, *backend, plan);
    co_await c.close();
    co_return plan;
}

awaitable<void> create_topics(kc::cluster& c, const restore_plan& plan) {
    std::vector<kc::new_topic> topics;
    for (const auto& t : plan.topics)
        if (t.create)
            topics.push_back(
                {t.target_topic, t.target_partitions, t.replication_factor, t.configs});
    if (topics.empty()) co_return;
    for (const auto& t : topics)
        kb::log::info("restore", "creating topic {} ({} partitions, replication factor {})", t.name,
                      t.partitions, t.replication_factor);
    kc::admin_options opts;
    opts.ignore_existing = true;
    co_await kc::create_topics(c, topics, opts);
}

struct shard_inputs {
    const restore_plan* plan;
    const restore_request* req;
    const std::vector<detail::resume_from>* resume;
    std::shared_ptr<runtime::byte_budget> budget;
    runtime::progress_reporter* progress;
    std::vector<detail::task_result>* results;       // one slot per task
    std::shared_ptr<std::atomic<bool>> stop;         // set by the first failure
    std::shared_ptr<runtime::rate_limiter> limiter;  // shared by every shard; may be null
    runtime::shard_pool* decode_pool = nullptr;      // set when partitions < shards
};

awaitable<void> worker(detail::shard_context ctx, shard_inputs in,
                       std::shared_ptr<std::vector<std::size_t>> tasks,
                       std::shared_ptr<std::size_t> next) {
    while (*next < tasks->size() && !in.stop->load()) {
        auto index = (*tasks)[(*next)++];
        const auto& task = in.plan->tasks[index];
        try {
            (*in.results)[index] =
                co_await detail::restore_partition(ctx, task, in.plan->time_window_start,
                                                   in.plan->time_window_end, (*in.resume)[index]);
        } catch (...) {
            in.stop->store(true);
            throw;
        }
    }
}

// Runs a worker and reports how it ended on `done` (a join point for several workers).
awaitable<void> joined(awaitable<void> work,
                       std::shared_ptr<runtime::bounded_channel<std::exception_ptr>> done) {
    std::exception_ptr failure;
    try {
        co_await std::move(work);
    } catch (...) {
        failure = std::current_exception();
    }
    co_await done->send(failure);
}

// One shard: its own storage backend, cluster connections and idempotent producer.
awaitable<void> run_shard(shard_inputs in, std::shared_ptr<std::vector<std::size_t>> tasks,
                          int workers, std::size_t shard) {
    auto ex = co_await boost::asio::this_coro::executor;
    auto backend = storage::open_backend(ex, in.req->location);
    kc::cluster cluster(ex, target_config(*in.req));
    co_await cluster.bootstrap();
    kc::producer_options popts;
    popts.ack_timeout = std::chrono::milliseconds(in.req->cfg.restore.produce_timeout_ms);
    kc::producer producer(cluster, popts);
    co_await producer.init();
    // Registered before it produces: a re-run tells this restore's records on the
    // target from those of other producers by it.
    sf::backup_layout layout(in.plan->backup_id);
    co_await detail::register_producer(*backend, layout, in.plan->restore_id,
                                       producer.producer_id());
    detail::shard_context ctx{backend.get(), &producer, in.budget, in.progress, 4,
                              1 << 20,       in.limiter};
    ctx.decode_pool = in.decode_pool;
    ctx.home_shard = shard;
    auto next = std::make_shared<std::size_t>(0);
    auto done = std::make_shared<runtime::bounded_channel<std::exception_ptr>>(ex, workers);
    for (int w = 0; w < workers; ++w)
        boost::asio::co_spawn(ex, joined(worker(ctx, in, tasks, next), done),
                              boost::asio::detached);
    std::exception_ptr first;
    for (int w = 0; w < workers; ++w) {
        auto e = co_await done->receive();
        if (e && *e && !first) first = *e;
    }
    co_await cluster.close();
    if (first) std::rethrow_exception(first);
}

void run_shards(const restore_request& req, const restore_plan& plan,
                const std::vector<detail::resume_from>& resume,
                std::vector<detail::task_result>& results, runtime::progress_reporter* progress) {
    runtime::shard_pool pool(req.cfg.engine.shards);
    const auto shards =
        std::min<std::size_t>(pool.size(), std::max<std::size_t>(1, plan.tasks.size()));
    auto budget = runtime::byte_budget::make("restore", req.cfg.engine.memory_budget);
    std::vector<std::shared_ptr<std::vector<std::size_t>>> assigned(shards);
    for (auto& a : assigned) a = std::make_shared<std::vector<std::size_t>>();
    for (std::size_t i = 0; i < plan.tasks.size(); ++i) assigned[i % shards]->push_back(i);
    const int workers = static_cast<int>(
        std::max<std::size_t>(1, req.cfg.restore.max_concurrent_partitions / shards));
    shard_inputs in{&plan,
                    &req,
                    &resume,
                    budget,
                    progress,
                    &results,
                    std::make_shared<std::atomic<bool>>(false),
                    runtime::rate_limiter::make(req.cfg.restore.rate_limit_records_per_sec,
                                                req.cfg.restore.rate_limit_bytes_per_sec)};
    // Fewer partitions than shards: the idle shards decode frames for the busy ones.
    if (plan.tasks.size() < pool.size()) in.decode_pool = &pool;
    std::vector<std::future<void>> futures;
    for (std::size_t s = 0; s < shards; ++s)
        futures.push_back(pool.run_on(s, run_shard(in, assigned[s], workers, s)));
    std::exception_ptr first;
    for (auto& f : futures) {
        try {
            f.get();
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    pool.stop();
    if (first) std::rethrow_exception(first);
}

offset_mapping build_mapping(const restore_plan& plan, std::vector<detail::task_result>& results,
                             const std::string& cluster_id) {
    offset_mapping m;
    m.backup_id = plan.backup_id;
    m.restore_id = plan.restore_id;
    m.created_at = sf::format_timestamp(sf::now_ms());
    m.target_cluster_id = cluster_id;
    for (auto& r : results) m.partitions.push_back(std::move(r.mapping));
    return m;
}

restore_summary summarize(const restore_plan& plan,
                          const std::vector<detail::task_result>& results) {
    restore_summary s;
    s.backup_id = plan.backup_id;
    s.restore_id = plan.restore_id;
    s.records_skipped = plan.records_in_unread_segments;
    s.acls_created = plan.acls.size();
    for (const auto& t : plan.topics)
        s.topics.push_back(
            {t.source_topic, t.target_topic, 0, 0,
             t.create && t.configs.contains("retention.ms") && t.configs.at("retention.ms") == "-1",
             t.source_topic_id, t.target_topic_id});
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        s.records += r.records;
        s.bytes += r.bytes;
        s.batches_passed += r.passed;
        s.batches_reencoded += r.reencoded;
        s.segments_read += r.segments;
        s.records_skipped += r.dropped;
        s.aborted_transactions += r.aborted_transactions;
        s.aborted_records += r.aborted_records;
        s.open_transactions += r.open_transactions;
        s.uncommitted_records += r.uncommitted_records;
        for (auto& t : s.topics)
            if (t.source_topic == plan.tasks[i].source_topic)
                t.records += r.records, t.bytes += r.bytes;
    }
    return s;
}

// After the data: store the mapping, translate groups, mark the checkpoint complete.
awaitable<void> finish(boost::asio::any_io_executor ex, const restore_request& req,
                       const restore_plan& plan, offset_mapping& mapping, restore_summary& s) {
    auto backend = storage::open_backend(ex, req.location);
    kc::cluster c(ex, target_config(req));
    co_await c.bootstrap();
    mapping.target_cluster_id = c.metadata().cluster_id;
    if (req.cfg.restore.reset_consumer_offsets)
        mapping.groups = co_await detail::translate_groups(c, plan, mapping, req.cfg.restore);
    sf::backup_layout layout(plan.backup_id);
    co_await write_offset_mapping(*backend, layout, mapping);
    s.mapping_key = offset_mapping_key(layout, plan.restore_id);
    s.groups = mapping.groups;
    // Complete, keeping the target topics' ids: a re-run produces again only into a
    // topic recreated since.
    auto done = co_await detail::load_checkpoint(*backend, layout, plan.restore_id);
    if (!done) done = detail::checkpoint_state{plan.restore_id, false, {}, {}, 2};
    done->complete = true;
    co_await detail::save_checkpoint(*backend, layout, std::move(*done));
    co_await c.close();
}

// A completed restore run again with reset_consumer_offsets (three-phase-restore
// twice): nothing is produced, but the groups are translated and committed again
// from the offset mapping the completed run stored.
awaitable<void> reset_groups_again(boost::asio::any_io_executor ex, const restore_request& req,
                                   const restore_plan& plan, restore_summary& s) {
    auto backend = storage::open_backend(ex, req.location);
    sf::backup_layout layout(plan.backup_id);
    auto mapping = co_await read_offset_mapping(*backend, layout, plan.restore_id);
    if (!mapping)
        throw kb::error(error_class::fatal, "NoOffsetMapping",
                        fmt::format("restore {} completed but its offset mapping is missing; "
                                    "re-run with --restart",
                                    plan.restore_id));
    kc::cluster c(ex, target_config(req));
    co_await c.bootstrap();
    mapping->groups = co_await detail::translate_groups(c, plan, *mapping, req.cfg.restore);
    s.groups = mapping->groups;
    co_await write_offset_mapping(*backend, layout, std::move(*mapping));
    s.mapping_key = offset_mapping_key(layout, plan.restore_id);
    co_await c.close();
}

struct target_state {
    std::optional<detail::resume_points> resume;  // nullopt: already complete
    std::vector<retention_risk> retention_risks;
};

// preserve_retention: topics this restore creates keep every record.
void keep_restored_records(const restore_request& req, restore_plan& plan) {
    if (!req.cfg.restore.preserve_retention) return;
    for (auto& t : plan.topics)
        if (t.create) t.configs["retention.ms"] = "-1";
}

awaitable<target_state> setup_target(boost::asio::any_io_executor ex, const restore_request& req,
                                     const restore_plan& plan) {
    auto backend = storage::open_backend(ex, req.location);
    kc::cluster c(ex, target_config(req));
    co_await c.bootstrap();
    co_await create_topics(c, plan);
    co_await detail::create_acls(c, plan);
    co_await c.refresh_metadata();
    target_state st;
    st.resume = co_await detail::prepare_resume(c, *backend, plan, req.restart);
    if (st.resume) st.retention_risks = co_await detail::check_retention(c, plan);
    co_await c.close();
    co_return st;
}

// "127.0.0.1:9092 (topics a, b)", for the lease's refusal.
std::string describe_target(const restore_request& req, const restore_plan& plan) {
    std::string servers, topics;
    for (const auto& s : req.cfg.target->bootstrap_servers)
        servers += (servers.empty() ? "" : ",") + s;
    for (const auto& t : plan.topics) topics += (topics.empty() ? "" : ", ") + t.target_topic;
    return fmt::format("{} (topics {})", servers, topics);
}

void first_failed_check(const restore_plan& plan) {
    for (const auto& c : plan.checks)
        if (!c.ok)
            throw kb::error(error_class::fatal, "PreflightFailed",
                            fmt::format("{}: {}", c.name, c.detail));
}

}  // namespace

restore_plan plan_restore(const restore_request& req) {
    const bool with_target = req.cfg.target && !req.cfg.target->bootstrap_servers.empty();
    return run_here(
        [&](boost::asio::any_io_executor ex) { return make_plan(ex, req, with_target); });
}

restore_summary run_restore(const restore_request& req) {
    const auto start = std::chrono::steady_clock::now();
    auto plan = plan_restore(req);
    first_failed_check(plan);
    auto lease = detail::restore_lease::take(req.location, plan.backup_id, plan.restore_id,
                                             describe_target(req, plan));
    keep_restored_records(req, plan);
    auto target = run_here([&](auto ex) { return setup_target(ex, req, plan); });
    auto& maybe_resume = target.resume;
    if (!maybe_resume) {
        kb::log::info("restore",
                      "restore {} of backup '{}' already completed; nothing produced (--restart "
                      "produces its records again)",
                      plan.restore_id, plan.backup_id);
        restore_summary done;
        done.backup_id = plan.backup_id;
        done.restore_id = plan.restore_id;
        done.already_complete = true;
        if (req.cfg.restore.reset_consumer_offsets)
            run_here([&](auto ex) { return reset_groups_again(ex, req, plan, done); });
        return done;
    }
    auto& resume = *maybe_resume;
    std::vector<detail::task_result> results(plan.tasks.size());
    {
        std::optional<runtime::progress_reporter> progress;
        if (req.progress)
            progress.emplace(runtime::progress_reporter::options{
                .label = "restore",
                .total_bytes = std::nullopt,
                .tty = runtime::progress_reporter::stderr_is_tty()});
        run_shards(req, plan, resume, results, progress ? &*progress : nullptr);
        if (progress) progress->finish();
    }
    auto summary = summarize(plan, results);
    summary.retention_risks = target.retention_risks;
    for (const auto& r : resume) summary.partitions_resumed += r.skip_records > 0 ? 1 : 0;
    auto mapping = build_mapping(plan, results, "");
    run_here([&](auto ex) { return finish(ex, req, plan, mapping, summary); });
    if (req.cfg.restore.offset_report) {
        std::ofstream out(*req.cfg.restore.offset_report, std::ios::trunc);
        out << serialize_offset_mapping(mapping);
        if (!out)
            throw kb::error(error_class::fatal, "WriteFailed",
                            "cannot write the offset report to " + *req.cfg.restore.offset_report);
    }
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace kb::restore
