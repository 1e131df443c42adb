#include "groups.hpp"

#include <kb/kafka/client/groups.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>

namespace kb::restore::detail {

namespace kc = kafka::client;

namespace {

const topic_plan* topic_of(const restore_plan& plan, const std::string& source) {
    for (const auto& t : plan.topics)
        if (t.source_topic == source) return &t;
    return nullptr;
}

std::int32_t fixed_target_partition(const restore_plan& plan, const topic_plan& t,
                                    std::int32_t source_partition,
                                    const config::restore_options& opts) {
    if (t.target_partitions != t.source_partitions &&
        std::any_of(plan.tasks.begin(), plan.tasks.end(), [&](const partition_task& k) {
            return k.source_topic == t.source_topic && k.target_partition < 0;
        }))
        return -1;  // repartitioned: a source position has no single target position
    auto m = opts.partition_mapping.find(source_partition);
    return m != opts.partition_mapping.end() ? m->second : source_partition;
}

// Target position of committed source offset `c`, nullopt when it has none.
boost::asio::awaitable<std::optional<group_translation>> translate_one(
    kc::cluster& c, const restore_plan& plan, const offset_mapping& mapping,
    const storage::format::group_offset& o, const config::restore_options& opts) {
    const auto* t = topic_of(plan, o.topic);
    if (!t) co_return std::nullopt;
    group_translation g;
    g.source_topic = o.topic;
    g.source_partition = o.partition;
    g.source_offset = o.offset;
    g.target_topic = t->target_topic;
    const auto* pm = mapping.find(o.topic, o.partition);
    if (pm) {
        if (auto pos = translate(*pm, o.offset)) {
            g.target_partition = pos->target_partition;
            g.target_offset = pos->target_offset;
            co_return g;
        }
    }
    g.target_partition = fixed_target_partition(plan, *t, o.partition, opts);
    if (g.target_partition < 0) {
        kb::log::warn("restore", "{}-{} was repartitioned; its committed offset is not translated",
                      o.topic, o.partition);
        co_return std::nullopt;
    }
    std::vector<std::int32_t> parts(1, g.target_partition);
    auto end = co_await kc::topic_offsets(c, t->target_topic, kc::offset_spec::latest(), parts);
    g.target_offset = end.empty() ? 0 : end.front().offset;
    co_return g;
}

}  // namespace

boost::asio::awaitable<std::vector<group_translation>> translate_groups(
    kc::cluster& c, const restore_plan& plan, const offset_mapping& mapping,
    const config::restore_options& opts) {
    std::vector<group_translation> all;
    for (const auto& snap : plan.groups) {
        std::vector<group_translation> mine;
        std::vector<kc::group_offset> commit;
        for (const auto& o : snap.offsets) {
            auto g = co_await translate_one(c, plan, mapping, o, opts);
            if (!g) continue;
            g->group = snap.group_id;
            kc::group_offset go;
            go.topic = g->target_topic;
            go.partition = g->target_partition;
            go.offset = g->target_offset;
            if (!o.metadata.empty()) go.metadata = o.metadata;
            commit.push_back(std::move(go));
            mine.push_back(*g);
        }
        if (commit.empty()) continue;
        std::vector<std::string> ids(1, snap.group_id);
        auto desc = co_await kc::describe_groups(c, ids);
        if (!desc.empty() && !desc.front().members.empty() && !opts.force_reset_active_groups)
            throw kb::error(error_class::fatal, "GROUP_HAS_ACTIVE_MEMBERS",
                            fmt::format("consumer group '{}' has {} active members on the target; "
                                        "stop them or pass --force-active-groups",
                                        snap.group_id, desc.front().members.size()),
                            kb::reason::group_active);
        co_await kc::commit_group_offsets(c, snap.group_id, commit);
        for (auto& g : mine) g.committed = true;
        all.insert(all.end(), mine.begin(), mine.end());
    }
    co_return all;
}

}  // namespace kb::restore::detail
