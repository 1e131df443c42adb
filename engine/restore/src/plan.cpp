// Restore planning: which partitions go where, which segments to read (see plan.hpp).
#include "plan.hpp"

#include "acls.hpp"
#include "segment_checks.hpp"

#include <kb/config/topic_selector.hpp>
#include <kb/kafka/client/admin.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/format/oso.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <set>

namespace kb::restore::detail {

namespace fmt_ns = storage::format;

bool restore_plan_checks_ok(const restore_plan& p) {
    return std::all_of(p.checks.begin(), p.checks.end(), [](const auto& c) { return c.ok; });
}

namespace {

// Backup ids under the root: the first key component of every ".../manifests/" object.
storage::awaitable<std::vector<std::string>> existing_backups(storage::backend& b) {
    std::set<std::string> ids;
    auto objects = co_await storage::list_all(b, std::string());
    for (const auto& o : objects) {
        auto pos = o.key.find("/manifests/manifest-");
        if (pos != std::string::npos && o.key.find('/') == pos) ids.insert(o.key.substr(0, pos));
        if (auto oso = fmt_ns::oso_backup_id_of(o.key)) ids.insert(*oso);
    }
    co_return std::vector<std::string>(ids.begin(), ids.end());
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ull) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
    return h;
}

// Same backup, target and choices -> same id, so a re-run finds its checkpoint.
std::string restore_id_for(const config::config& cfg) {
    const auto& r = cfg.restore;
    std::string key = cfg.backup_id;
    if (cfg.target)
        for (const auto& s : cfg.target->bootstrap_servers) key += "|b=" + s;
    if (cfg.target) {
        for (const auto& t : cfg.target->topics.include) key += "|i=" + t;
        for (const auto& t : cfg.target->topics.exclude) key += "|x=" + t;
    }
    for (const auto& [a, b] : r.topic_mapping) key += "|t=" + a + ":" + b;
    for (const auto& [a, b] : r.partition_mapping) key += fmt::format("|p={}:{}", a, b);
    for (const auto& [t, rp] : r.repartition)
        key += fmt::format("|r={}:{}", t, rp.target_partitions);
    if (r.source_partitions)
        for (auto p : *r.source_partitions) key += fmt::format("|s={}", p);
    if (r.time_window_start) key += fmt::format("|from={}", *r.time_window_start);
    if (r.time_window_end) key += fmt::format("|to={}", *r.time_window_end);
    // Only when set, so the ids of restores without them stay what they were.
    if (config::adds_offset_headers(r)) key += "|hdr=add";
    if (r.strip_offset_headers) key += "|hdr=strip";
    for (const auto& [t, m] : r.offset_ranges)
        for (const auto& [p, rg] : m)
            key += fmt::format("|o={}:{}:{}:{}", t, p, rg.start_offset.value_or(-1),
                               rg.end_offset.value_or(-1));
    return fmt::format("r-{:016x}", fnv1a(key));
}

const config::repartitioning* repartition_for(const config::restore_options& r,
                                              const std::string& source,
                                              const std::string& target) {
    for (const auto* name : {&target, &source})
        if (auto it = r.repartition.find(*name); it != r.repartition.end()) return &it->second;
    return nullptr;
}

bool partition_chosen(const config::restore_options& r, std::int32_t p) {
    if (!r.source_partitions) return true;
    const auto& v = *r.source_partitions;
    return std::find(v.begin(), v.end(), p) != v.end();
}

// [first, last] of source offsets chosen for the partition.
std::pair<std::int64_t, std::int64_t> offset_bounds(const config::restore_options& r,
                                                    const std::string& topic, std::int32_t p) {
    std::pair<std::int64_t, std::int64_t> out{0, INT64_MAX};
    auto t = r.offset_ranges.find(topic);
    if (t == r.offset_ranges.end()) return out;
    auto it = t->second.find(p);
    if (it == t->second.end()) return out;
    if (it->second.start_offset) out.first = *it->second.start_offset;
    if (it->second.end_offset) out.second = *it->second.end_offset - 1;  // end is exclusive
    return out;
}

bool segment_wanted(const fmt_ns::segment_ref& s, const partition_task& t,
                    const config::restore_options& r) {
    if (s.last_offset < t.first_offset || s.first_offset > t.last_offset) return false;
    if (r.time_window_start && s.max_timestamp < *r.time_window_start) return false;
    if (r.time_window_end && s.min_timestamp > *r.time_window_end) return false;
    return true;
}

std::map<std::string, std::string> configs_for(const fmt_ns::topic_manifest& t,
                                               const std::string& target,
                                               const config::restore_options& r) {
    auto configs = t.configs;
    for (const auto& [pattern, overrides] : r.topic_config_overrides)
        if (config::glob_match(pattern, target))
            for (const auto& [k, v] : overrides) configs[k] = v;
    return configs;
}

// OSO's dry-run words for each strategy (RestoreEngine's consumer_offset_actions).
// Only header-based changes what is restored (it adds the headers); in OSO as here,
// offsets move only with reset_consumer_offsets, whatever the strategy.
std::string strategy_action(config::offset_strategy s) {
    switch (s) {
        case config::offset_strategy::skip:
            return "Consumer offsets will not be modified (skip strategy)";
        case config::offset_strategy::header_based:
            return "Original offsets will be stored in message headers (x-original-offset, "
                   "x-original-timestamp)";
        case config::offset_strategy::timestamp_based:
            return "Consumer offsets will be calculated based on timestamps";
        case config::offset_strategy::cluster_scan:
            return "Consumer offsets will be determined by scanning target cluster";
        case config::offset_strategy::manual:
            return "Offset mapping will be reported; manual reset required";
    }
    return {};
}

void add_tasks(const fmt_ns::topic_manifest& t, topic_plan& tp, restore_plan& plan,
               const config::restore_options& r, bool repartitioned) {
    for (const auto& pm : t.partitions) {
        if (!partition_chosen(r, pm.partition)) continue;
        partition_task task;
        task.source_topic = t.name;
        task.source_partition = pm.partition;
        task.target_topic = tp.target_topic;
        auto mapped = r.partition_mapping.find(pm.partition);
        task.target_partition = repartitioned                         ? -1
                                : mapped != r.partition_mapping.end() ? mapped->second
                                                                      : pm.partition;
        std::tie(task.first_offset, task.last_offset) = offset_bounds(r, t.name, pm.partition);
        task.strip_offset_headers = r.strip_offset_headers;
        task.add_offset_headers = config::adds_offset_headers(r);
        for (const auto& s : pm.segments) {
            if (!segment_wanted(s, task, r)) {
                plan.records_in_unread_segments += s.record_count;
                continue;
            }
            task.segments.push_back(s);
            task.estimated_records += s.record_count;
            task.stored_bytes += s.stored_bytes;
        }
        check_partition_start(t, pm, task.first_offset, task.last_offset);
        check_partition_end(t, pm, task.first_offset, task.last_offset);
        if (task.segments.empty()) continue;
        check_partition_continuity(t, pm, task.first_offset, task.last_offset);
        for (const auto& s : pm.segments)
            if (s.first_offset > task.segments.back().last_offset) task.later_segments.push_back(s);
        if (!repartitioned)
            tp.target_partitions = std::max(tp.target_partitions, task.target_partition + 1);
        plan.segments += task.segments.size();
        plan.stored_bytes += task.stored_bytes;
        plan.estimated_records += task.estimated_records;
        plan.tasks.push_back(std::move(task));
    }
}

}  // namespace

storage::awaitable<fmt_ns::manifest> load_manifest(storage::backend& b, std::string backup_id) {
    auto latest = co_await fmt_ns::read_backup_manifest(b, backup_id);  // ours or OSO's
    if (latest) co_return std::move(*latest);
    auto ids = co_await existing_backups(b);
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
    throw kb::error(
        error_class::not_found, "BackupNotFound",
        fmt::format("backup '{}' not found in {}; {}", backup_id, b.describe(),
                    ids.empty() ? std::string("it holds no backups") : "backups there: " + list));
}

restore_plan build_plan(const fmt_ns::manifest& m, const config::config& cfg) {
    const auto& r = cfg.restore;
    restore_plan plan;
    plan.backup_id = m.backup_id;
    plan.restore_id = r.restore_id ? *r.restore_id : restore_id_for(cfg);
    plan.time_window_start = r.time_window_start;
    plan.time_window_end = r.time_window_end;
    config::topic_selector selector(cfg.target ? cfg.target->topics : config::topic_selection{},
                                    true, "target.topics");
    if (cfg.target)
        for (const auto& lit : selector.literal_includes())
            if (!m.find_topic(lit))
                throw kb::error(error_class::not_found, "TopicNotInBackup",
                                fmt::format("topic '{}' is not in backup '{}'", lit, m.backup_id));
    for (const auto& t : m.topics) {
        if (!selector.matches(t.name)) continue;
        topic_plan tp;
        tp.source_topic = t.name;
        tp.source_topic_id = t.topic_id;
        auto mapped = r.topic_mapping.find(t.name);
        tp.target_topic = mapped != r.topic_mapping.end() ? mapped->second : t.name;
        tp.source_partitions = t.partition_count;
        const auto* rp = repartition_for(r, t.name, tp.target_topic);
        tp.target_partitions =
            rp && rp->target_partitions > 0 ? rp->target_partitions : t.partition_count;
        tp.replication_factor = r.default_replication_factor.value_or(t.replication_factor);
        tp.configs = configs_for(t, tp.target_topic, r);
        const bool repartitioned = rp && rp->target_partitions > 0;
        add_tasks(t, tp, plan, r, repartitioned);
        for (auto& task : plan.tasks)
            if (task.target_topic == tp.target_topic) task.target_partitions = tp.target_partitions;
        plan.topics.push_back(std::move(tp));
    }
    if (r.reset_consumer_offsets) {
        for (const auto& g : m.consumer_groups)
            if (r.consumer_groups.empty() ||
                std::find(r.consumer_groups.begin(), r.consumer_groups.end(), g.group_id) !=
                    r.consumer_groups.end())
                plan.groups.push_back(g);
    }
    if (r.restore_acls) plan.acls = acls_to_restore(m, plan);
    plan.consumer_offset_actions.push_back(strategy_action(r.consumer_group_strategy));
    for (const auto& g : plan.groups)
        plan.consumer_offset_actions.push_back(
            fmt::format("Consumer group '{}' offsets will be reset", g.group_id));
    return plan;
}

namespace {

bool lists_every_target(const kafka::client::topic_listing& listing, const restore_plan& plan) {
    return std::all_of(plan.topics.begin(), plan.topics.end(), [&](const auto& tp) {
        return std::any_of(listing.topics.begin(), listing.topics.end(),
                           [&](const auto& t) { return t.name == tp.target_topic; });
    });
}

// The target topics as the cluster lists them. A topic created a moment ago (its
// creation is acknowledged by the controller before the brokers serve it) may be
// missing at first: like Kafka's producers, look again for a few seconds before
// calling it absent.
boost::asio::awaitable<kafka::client::topic_listing> list_targets(kafka::client::cluster& c,
                                                                  const restore_plan& plan) {
    auto listing = co_await kafka::client::list_topics(c, true);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (int attempt = 0; attempt < 10 && !lists_every_target(listing, plan); ++attempt) {
        timer.expires_after(std::chrono::milliseconds(500));
        co_await timer.async_wait(boost::asio::use_awaitable);
        listing = co_await kafka::client::list_topics(c, true);
    }
    co_return listing;
}

}  // namespace

boost::asio::awaitable<void> preflight(kafka::client::cluster& c, restore_plan& plan,
                                       const config::restore_options& opts) {
    // (no co_await inside ?: : GCC 12 destroys such a temporary twice)
    kafka::client::topic_listing listing;
    if (opts.create_topics)
        listing = co_await kafka::client::list_topics(c, true);
    else
        listing = co_await list_targets(c, plan);
    for (auto& tp : plan.topics) {
        auto it = std::find_if(listing.topics.begin(), listing.topics.end(),
                               [&](const auto& t) { return t.name == tp.target_topic; });
        preflight_check check{fmt::format("target topic {}", tp.target_topic), true, ""};
        if (it != listing.topics.end()) {
            tp.exists = true;
            if (!it->id.is_zero()) tp.target_topic_id = it->id.to_string();
            auto have = static_cast<std::int32_t>(it->partitions.size());
            check.ok = have >= tp.target_partitions;
            check.detail = check.ok ? fmt::format("exists with {} partitions", have)
                                    : fmt::format("exists with {} partitions, {} needed", have,
                                                  tp.target_partitions);
        } else if (opts.create_topics) {
            tp.create = true;
            check.detail = fmt::format("will be created: {} partitions, replication factor {}",
                                       tp.target_partitions, tp.replication_factor);
        } else {
            check.ok = false;
            check.detail = "does not exist (use --create-topics / restore.create_topics)";
        }
        plan.checks.push_back(std::move(check));
    }
    for (const auto& g : plan.groups)
        plan.checks.push_back({fmt::format("consumer group {}", g.group_id), true,
                               fmt::format("{} committed offsets to translate", g.offsets.size())});
}

}  // namespace kb::restore::detail

namespace kb::restore {
bool restore_plan::checks_ok() const {
    return detail::restore_plan_checks_ok(*this);
}
}  // namespace kb::restore
