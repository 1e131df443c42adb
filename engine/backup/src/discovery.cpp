// Discovery: topics, offsets, configs and group offsets into the manifest and tasks.
#include "discovery.hpp"

#include <kb/runtime/together.hpp>
#include "acl_capture.hpp"
#include "lease.hpp"
#include "selection.hpp"

#include <kb/backup/group_snapshot.hpp>
#include <kb/config/topic_selector.hpp>
#include <kb/kafka/client/admin.hpp>
#include <kb/kafka/client/groups.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace kb::backup {

namespace kc = kafka::client;
namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

struct offsets_of {
    std::map<partition_key, std::int64_t> earliest, latest;
};

// Earliest and latest offsets of every partition of `topics`, in two requests.
// "Latest" is the last stable offset: a snapshot ends where every earlier
// transaction is decided, so it never holds records whose fate it cannot know
// (a continuous backup picks those up once their transaction ends).
awaitable<offsets_of> read_offsets(kc::cluster& c, std::vector<const kc::topic_info*> topics) {
    std::vector<kc::offset_query> first, last;
    for (auto* t : topics)
        for (auto& p : t->partitions) {
            kc::offset_query q;
            q.topic = t->name;
            q.partition = p.partition;
            q.spec = kc::offset_spec::earliest();
            first.push_back(q);
            q.spec = kc::offset_spec::latest();
            last.push_back(q);
        }
    offsets_of out;
    if (first.empty()) co_return out;
    auto e = co_await kc::list_offsets(c, first);
    auto l = co_await kc::list_offsets(c, last, kc::isolation_level::read_committed);
    for (auto& o : e) out.earliest[{o.topic, o.partition}] = o.offset;
    for (auto& o : l) out.latest[{o.topic, o.partition}] = o.offset;
    co_return out;
}

// The topic's entry in the manifest, created or refreshed from the cluster.
sf::topic_manifest& topic_entry(sf::manifest& m, const kc::topic_info& t,
                                const std::vector<kc::config_entry>& configs) {
    auto* entry = m.find_topic(t.name);
    if (!entry) {
        sf::topic_manifest fresh;
        fresh.name = t.name;
        auto pos = std::lower_bound(m.topics.begin(), m.topics.end(), t.name,
                                    [](auto& a, const std::string& n) { return a.name < n; });
        entry = &*m.topics.insert(pos, std::move(fresh));
    }
    if (!t.id.is_zero()) entry->topic_id = t.id.to_string();
    entry->partition_count = std::max<std::int32_t>(entry->partition_count,
                                                    static_cast<std::int32_t>(t.partitions.size()));
    int rf = t.replication_factor();
    entry->replication_factor = rf > 0 ? static_cast<std::int16_t>(rf) : std::int16_t{-1};
    for (auto& c : configs)
        if (c.value && !c.sensitive) entry->configs[c.name] = *c.value;
    return *entry;
}

// Where a partition with no checkpoint starts, per the `start_offset` option.
std::int64_t configured_start(const config::start_offset& s, const partition_key& k,
                              std::int64_t earliest, std::int64_t latest,
                              const std::map<partition_key, std::int64_t>& by_time) {
    using kind = config::start_offset::kind;
    switch (s.where) {
        case kind::latest:
            return latest;
        case kind::specific: {
            auto t = s.offsets.find(k.first);
            if (t == s.offsets.end()) return earliest;
            auto p = t->second.find(k.second);
            return p == t->second.end() ? earliest : std::clamp(p->second, earliest, latest);
        }
        case kind::timestamp: {
            auto it = by_time.find(k);
            return it == by_time.end() || it->second < 0 ? latest : it->second;
        }
        default:
            return earliest;
    }
}

awaitable<std::map<partition_key, std::int64_t>> offsets_at_time(kc::cluster& c,
                                                                 const config::start_offset& s,
                                                                 std::vector<partition_key> parts) {
    std::map<partition_key, std::int64_t> out;
    if (s.where != config::start_offset::kind::timestamp || parts.empty()) co_return out;
    std::vector<kc::offset_query> qs;
    for (auto& [t, p] : parts) {
        kc::offset_query q;
        q.topic = t;
        q.partition = p;
        q.spec = kc::offset_spec::at_time(s.timestamp_ms);
        qs.push_back(q);
    }
    for (auto& o : co_await kc::list_offsets(c, qs)) out[{o.topic, o.partition}] = o.offset;
    co_return out;
}

struct merge_input {
    const offsets_of* offsets;
    const std::map<partition_key, std::int64_t>* by_time;
    bool use_configured_start;  // false: new partitions found later start at earliest
};

// A partition joining the backup records where it starts, so restore and validate
// can tell a deleted first manifest entry from a backup that began later. An empty
// partition (no manifest entry yet) records it with its first commit.
void record_start(backup_job::state& st, const partition_key& k, std::int64_t start,
                  partition_task& task) {
    task.start_offset = start;
    auto* t = st.coord->manifest().find_topic(k.first);
    for (auto& p : t->partitions)
        if (p.partition == k.second && p.start_offset < 0) p.start_offset = start;
}

// Adds one partition to the manifest and returns its task when it has data to copy.
std::optional<partition_task> merge_partition(backup_job::state& st, const partition_key& k,
                                              const merge_input& in) {
    const auto earliest = in.offsets->earliest.at(k), latest = in.offsets->latest.at(k);
    auto& m = st.coord->manifest();
    auto resume = resume_offset(m, k.first, k.second);
    auto* t = m.find_topic(k.first);
    bool listed = std::any_of(t->partitions.begin(), t->partitions.end(),
                              [&](auto& p) { return p.partition == k.second; });
    if (!resume && !listed && earliest >= latest) {
        if (std::find(t->empty_partitions.begin(), t->empty_partitions.end(), k.second) ==
            t->empty_partitions.end())
            t->empty_partitions.push_back(k.second);
        std::sort(t->empty_partitions.begin(), t->empty_partitions.end());
        if (!st.settings.options.continuous) return std::nullopt;
    } else {
        st.coord->partition(k.first, k.second).log_start_offset = earliest;
    }
    std::int64_t start = resume                    ? *resume
                         : in.use_configured_start ? configured_start(st.settings.options.start, k,
                                                                      earliest, latest, *in.by_time)
                                                   : earliest;
    if (resume && *resume < earliest) {
        sf::retention_gap gap{*resume, earliest - 1, "retention"};
        st.coord->partition(k.first, k.second).retention_gaps.push_back(gap);
        kb::log::warn("backup",
                      "{}/{}: offsets {}..{} were deleted by retention before they were "
                      "backed up",
                      k.first, k.second, gap.first_offset, gap.last_offset);
        start = earliest;
    }
    partition_task task{k.first, k.second, start, std::nullopt};
    if (!resume && !listed) record_start(st, k, start, task);
    if (!st.settings.options.continuous) {
        task.end_offset = latest;
        if (start >= latest) return std::nullopt;
    }
    return task;
}

// Committed offsets of the selected groups on the selected topics, as of now.
awaitable<void> snapshot_groups(backup_job::state& st, kc::cluster& c,
                                std::vector<std::string> topics) {
    if (!st.settings.options.consumer_group_snapshot || topics.empty()) co_return;
    merge_group_snapshots(
        st.coord->manifest(),
        co_await capture_group_offsets(c, st.settings.options.consumer_groups, std::move(topics)));
}

// What a group snapshot says, without the time it was taken: a refresh that found the
// same offsets publishes nothing.
using group_position = std::tuple<std::string, std::string, std::int32_t, std::int64_t>;
std::set<group_position> group_positions(const sf::manifest& m) {
    std::set<group_position> out;
    for (auto& g : m.consumer_groups)
        for (auto& o : g.offsets) out.emplace(g.group_id, o.topic, o.partition, o.offset);
    return out;
}

// The selected topics of a listing; fails on a literal include that does not exist.
std::vector<const kc::topic_info*> select(const backup_job::state& st,
                                          const kc::topic_listing& listing) {
    std::vector<const kc::topic_info*> out;
    for (auto& t : listing.topics)
        if (selected(st.settings, t.name)) out.push_back(&t);
    for (auto& name : required_topics(st.settings))
        if (std::none_of(listing.topics.begin(), listing.topics.end(),
                         [&](auto& t) { return t.name == name; }))
            throw kb::error(error_class::not_found, "UNKNOWN_TOPIC_OR_PARTITION",
                            "topic '" + name + "' does not exist on the source cluster",
                            kb::reason::topic_unknown);
    return out;
}

sf::manifest fresh_manifest(const backup_job::state& st, const std::string& cluster_id) {
    sf::manifest m;
    m.backup_id = st.settings.backup_id;
    m.tool_version = st.settings.tool_version;
    m.created_at = m.updated_at = sf::now_ms();
    m.source.cluster_id = cluster_id;
    m.source.bootstrap_servers = st.settings.kafka.bootstrap_servers;
    return m;
}

// What the cluster says about the selected topics, read before merging.
struct cluster_facts {
    std::map<std::string, std::vector<kc::config_entry>> configs;
    offsets_of offsets;
    std::map<partition_key, std::int64_t> by_time;
};

awaitable<void> read_facts(backup_job::state& st, kc::cluster& c,
                           std::vector<const kc::topic_info*> topics, cluster_facts& out) {
    if (topics.empty()) co_return;
    std::vector<std::string> names;
    std::vector<partition_key> parts;
    for (auto* t : topics) {
        names.push_back(t->name);
        for (auto& p : t->partitions) parts.emplace_back(t->name, p.partition);
    }
    out.configs = co_await kc::describe_topic_configs(c, names);
    out.offsets = co_await read_offsets(c, topics);
    out.by_time = co_await offsets_at_time(c, st.settings.options.start, parts);
}

// Merges `topics` into the manifest; returns the tasks of partitions not in `known`.
std::vector<partition_task> merge_facts(backup_job::state& st,
                                        const std::vector<const kc::topic_info*>& topics,
                                        cluster_facts& facts, std::set<partition_key>& known,
                                        bool configured_start) {
    std::vector<partition_task> tasks;
    for (auto* t : topics) topic_entry(st.coord->manifest(), *t, facts.configs[t->name]);
    merge_input in{&facts.offsets, &facts.by_time, configured_start};
    for (auto* t : topics)
        for (auto& p : t->partitions) {
            partition_key k{t->name, p.partition};
            if (!known.insert(k).second) continue;
            if (auto task = merge_partition(st, k, in)) tasks.push_back(std::move(*task));
        }
    return tasks;
}

// A topic deleted and recreated under the same name starts again at offset 0
// with other records: continuing the backup's offsets would skip or mix them.
void refuse_recreated_topics(const backup_job::state& st, const sf::manifest& m,
                             const std::vector<const kc::topic_info*>& topics) {
    for (auto* t : topics) {
        auto* entry = m.find_topic(t->name);
        if (!entry || entry->topic_id.empty() || t->id.is_zero()) continue;
        const auto now = t->id.to_string();
        if (now == entry->topic_id) continue;
        throw kb::error(error_class::fatal, "TOPIC_RECREATED",
                        fmt::format("topic '{}' was deleted and recreated since backup '{}' was "
                                    "taken (topic id {} in the backup, {} on the cluster): its "
                                    "offsets start over, so this backup cannot continue it; back "
                                    "it up under a new --backup-id, or leave it out of --topics",
                                    t->name, st.settings.backup_id, entry->topic_id, now));
    }
}

bool has_new_partitions(const std::vector<const kc::topic_info*>& topics,
                        const std::set<partition_key>& known) {
    for (auto* t : topics)
        for (auto& p : t->partitions)
            if (!known.count({t->name, p.partition})) return true;
    return false;
}

// The name the manifest gives the source cluster: backup.source_cluster_id when
// set (as OSO records it), else the id Kafka reports.
std::string recorded_cluster_id(const backup_job::state& st, const kc::topic_listing& listing) {
    return st.settings.options.source_cluster_id.value_or(listing.cluster_id);
}

// A re-run continues a backup only from the cluster it was taken from.
void refuse_other_cluster(const backup_job::state& st, const sf::manifest& existing,
                          const std::string& cluster_id) {
    const auto& was = existing.source.cluster_id;
    if (was.empty() || was == cluster_id) return;
    const bool named = st.settings.options.source_cluster_id.has_value();
    throw kb::error(
        error_class::fatal, "CLUSTER_MISMATCH",
        fmt::format("backup '{}' was taken from cluster '{}', not from '{}' ({}); "
                    "back this cluster up under a new --backup-id",
                    st.settings.backup_id, was, cluster_id,
                    named ? "backup.source_cluster_id" : "the cluster id Kafka reports"));
}

awaitable<void> acquire_lease(backup_job::state& st) {
    st.lease.emplace(co_await take_lease(*st.coordinator_storage, st.layout));
}

// Takes the lease and reads the cluster at the same time: the lease waits a
// moment before reading itself back (lease.cpp), which would otherwise delay
// every backup's start.
awaitable<void> lease_and_facts(backup_job::state& st, kc::cluster& c,
                                std::vector<const kc::topic_info*> topics, cluster_facts& facts) {
    co_await runtime::together(acquire_lease(st), read_facts(st, c, std::move(topics), facts));
}

}  // namespace

// The ACLs in scope when asked for; nullopt when not asked, or refused and optional.
awaitable<std::optional<std::vector<sf::acl_entry>>> read_acls(
    const backup_job::state& st, kc::cluster& c, const std::vector<const kc::topic_info*>& topics) {
    const auto& o = st.settings.options;
    if (!o.acls) co_return std::nullopt;
    acl_scope scope{{}, o.consumer_groups, o.cluster_acls};
    for (auto* t : topics) scope.topics.push_back(t->name);
    try {
        co_return co_await capture_acls(c, std::move(scope));
    } catch (const kb::error& e) {
        if (e.cls() != error_class::auth || !o.acls_optional) throw;
        kb::log::warn("backup", "backing up without ACLs (--acls-optional): {}", e.what());
    }
    co_return std::nullopt;
}

awaitable<backup_plan> plan_backup(backup_job::state& st, kc::cluster& c) {
    auto listing = co_await kc::list_topics(c, lists_internal(st.settings));
    auto topics = select(st, listing);
    // Before the lease, so a refusal leaves no trace in storage.
    auto acls = co_await read_acls(st, c, topics);
    // The lease comes after the selection check, so a typo leaves no trace in storage.
    cluster_facts facts;
    co_await lease_and_facts(st, c, topics, facts);
    backup_plan plan;
    auto existing = co_await st.coord->load();
    plan.resumed = existing.has_value();
    // With the lease held no other writer is uploading: any upload in progress
    // under our segments was left by a killed run.
    if (plan.resumed) co_await abort_orphan_uploads(*st.coordinator_storage, st.layout);
    co_await st.coord->tidy();
    const auto cluster_id = recorded_cluster_id(st, listing);
    if (existing) refuse_other_cluster(st, *existing, cluster_id);
    if (existing) refuse_recreated_topics(st, *existing, topics);
    st.coord->manifest() = existing ? std::move(*existing) : fresh_manifest(st, cluster_id);
    st.coord->manifest().status = sf::backup_status::in_progress;
    plan.tasks = merge_facts(st, topics, facts, plan.known, true);
    if (acls) st.coord->manifest().acls = std::move(*acls);
    std::vector<std::string> names;
    for (auto* t : topics) names.push_back(t->name);
    co_await snapshot_groups(st, c, names);
    co_await st.coord->publish();
    co_return plan;
}

awaitable<std::vector<partition_task>> discover_new(backup_job::state& st, kc::cluster& c,
                                                    std::set<partition_key>& known) {
    auto listing = co_await kc::list_topics(c, lists_internal(st.settings));
    std::vector<const kc::topic_info*> topics;
    for (auto& t : listing.topics)
        if (selected(st.settings, t.name)) topics.push_back(&t);
    // A topic recreated while this run tails it: stop rather than mix two topics.
    refuse_recreated_topics(st, st.coord->manifest(), topics);
    std::vector<partition_task> tasks;
    if (!has_new_partitions(topics, known)) co_return tasks;
    cluster_facts facts;
    co_await read_facts(st, c, topics, facts);
    auto before = known.size();
    tasks = merge_facts(st, topics, facts, known, false);
    if (known.size() != before) {
        kb::log::info("backup", "found {} new partition(s) to back up", known.size() - before);
        co_await st.coord->publish();
    }
    co_return tasks;
}

awaitable<void> refresh_group_offsets(backup_job::state& st, kc::cluster& c) {
    auto& m = st.coord->manifest();
    auto before = group_positions(m);
    std::vector<std::string> names;
    for (auto& t : m.topics) names.push_back(t.name);
    co_await snapshot_groups(st, c, std::move(names));
    if (group_positions(st.coord->manifest()) == before) co_return;
    kb::log::debug("backup", "consumer group offsets changed; publishing them");
    co_await st.coord->publish();
}

}  // namespace kb::backup
