// offset-reset: computing one group's new offsets, and committing them.
#include <kb/config/topic_selector.hpp>
#include <kb/kafka/client/groups.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/offsets/reset.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::offsets {
namespace kc = kb::kafka::client;
using kind = reset_spec::kind;

std::int64_t compute_target(const reset_spec& s, std::optional<std::int64_t> current,
                            std::int64_t earliest, std::int64_t latest) {
    std::int64_t t = earliest;
    switch (s.to) {
        case kind::earliest:
            t = earliest;
            break;
        case kind::latest:
            t = latest;
            break;
        case kind::offset:
            t = s.value;
            break;
        case kind::shift_by:
            t = current ? *current + s.value : earliest;
            break;
        default:
            t = s.value;
            break;
    }
    return std::clamp(t, earliest, std::max(earliest, latest));
}

namespace {

// Partitions to move: the selected topics' partitions, else the group's commits.
std::vector<topic_partition> partitions_for(const kc::cluster& c, const reset_request& req,
                                            const std::vector<kc::group_offset>& committed,
                                            const std::string& group) {
    std::vector<topic_partition> out;
    if (req.spec.to == kind::explicit_offsets) {
        // The given offsets (e.g. a restore's translation), narrowed by --topics.
        std::optional<config::topic_selector> sel;
        if (!req.topics.include.empty()) sel.emplace(req.topics, false, "--topics");
        auto g = req.spec.targets.find(group);
        if (g != req.spec.targets.end())
            for (const auto& [tp, off] : g->second)
                if (!sel || sel->matches(tp.topic)) out.push_back(tp);
        return out;
    }
    if (!req.topics.include.empty()) {
        config::topic_selector sel(req.topics, false, "--topics");
        for (const auto& [name, t] : c.metadata().topics)
            if (sel.matches(name))
                for (const auto& p : t.partitions) out.push_back({name, p.partition});
        return out;
    }
    for (const auto& o : committed) out.push_back({o.topic, o.partition});
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<kc::offset_query> queries(const std::vector<topic_partition>& tps, kc::offset_spec s) {
    std::vector<kc::offset_query> q;
    for (const auto& tp : tps) q.push_back({tp.topic, tp.partition, s});
    return q;
}

awaitable<std::vector<partition_move>> plan_moves(kc::cluster& c, std::string group,
                                                  const reset_request& req) {
    auto committed = co_await kc::fetch_group_offsets(c, group);
    auto tps = partitions_for(c, req, committed, group);
    if (tps.empty())
        throw kb::error(
            error_class::not_found, "NoPartitions",
            fmt::format("group '{}' has no committed offsets to move (name --topics)", group));
    auto lo = co_await kc::list_offsets(c, queries(tps, kc::offset_spec::earliest()));
    auto hi = co_await kc::list_offsets(c, queries(tps, kc::offset_spec::latest()));
    std::vector<kc::partition_offset> at;
    if (req.spec.to == kind::timestamp)
        at = co_await kc::list_offsets(c, queries(tps, kc::offset_spec::at_time(req.spec.value)));
    std::vector<partition_move> moves;
    for (std::size_t i = 0; i < tps.size(); ++i) {
        partition_move m{tps[i].topic, tps[i].partition, std::nullopt, 0,
                         lo[i].offset, hi[i].offset};
        for (const auto& o : committed)
            if (o.topic == m.topic && o.partition == m.partition && o.offset >= 0)
                m.current = o.offset;
        reset_spec s = req.spec;
        if (s.to == kind::timestamp) s.value = at[i].offset < 0 ? m.latest : at[i].offset;
        if (s.to == kind::explicit_offsets) s.value = req.spec.targets.at(group).at(tps[i]);
        m.target = compute_target(s, m.current, m.earliest, m.latest);
        moves.push_back(std::move(m));
    }
    co_return moves;
}

awaitable<std::size_t> active_members(kc::cluster& c, std::string group) {
    std::vector<std::string> names{group};
    auto d = co_await kc::describe_groups(c, std::move(names));
    co_return d.empty() ? 0 : d.front().members.size();
}

awaitable<void> commit_moves(kc::cluster& c, std::string group,
                             const std::vector<partition_move>& moves) {
    std::vector<kc::group_offset> offsets;
    for (const auto& m : moves)
        offsets.push_back({m.topic, m.partition, m.target, -1, std::nullopt});
    co_await kc::commit_group_offsets(c, group, std::move(offsets));
}

}  // namespace

awaitable<group_outcome> reset_group(kc::cluster& c, std::string group, const reset_request& req) {
    group_outcome out;
    out.group = group;
    try {
        out.active_members = co_await active_members(c, group);
        if (out.active_members > 0) {
            out.message =
                fmt::format("group '{}' has {} active member(s); stop its consumers first", group,
                            out.active_members);
            // Executing is refused outright; a plan still shows where the group would go.
            if (req.execute) {
                out.status = group_status::refused;
                co_return out;
            }
        }
        out.moves = co_await plan_moves(c, group, req);
        if (out.active_members > 0) co_return out;
        if (req.execute) {
            co_await commit_moves(c, group, out.moves);
            out.status = group_status::reset;
        }
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        out.status =
            e.why() == kb::reason::group_active ? group_status::refused : group_status::failed;
        out.message = e.what();
    } catch (const std::exception& e) {
        out.status = group_status::failed;
        out.message = e.what();
    }
    co_return out;
}

}  // namespace kb::offsets
