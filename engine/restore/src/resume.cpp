// Resuming an interrupted restore exactly (see resume.hpp and checkpoint.hpp).
#include "resume.hpp"

#include "checkpoint.hpp"

#include <kb/kafka/client/admin.hpp>
#include <kb/kafka/client/fetch.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace kb::restore::detail {

namespace kc = kafka::client;
namespace proto = kafka::protocol;
namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

using topic_ids = std::map<std::string, std::string>;  // target topic -> id ("" unknown)

awaitable<topic_ids> target_topic_ids(kc::cluster& c, const restore_plan& plan) {
    auto listing = co_await kc::list_topics(c);
    topic_ids ids;
    for (const auto& tp : plan.topics) {
        ids[tp.target_topic] = "";
        for (const auto& t : listing.topics)
            if (t.name == tp.target_topic && !t.id.is_zero())
                ids[tp.target_topic] = t.id.to_string();
    }
    co_return ids;
}

// Whether `topic` is the same topic the checkpoint was written against (unknown
// ids count as the same: checkpoints of earlier versions have none).
bool same_topic(const checkpoint_state& old, const topic_ids& ids, const std::string& topic) {
    const auto* t = old.target(topic);
    auto it = ids.find(topic);
    return !t || t->topic_id.empty() || it == ids.end() || it->second.empty() ||
           t->topic_id == it->second;
}

// The first target topic recreated since `old` was written, if any.
std::optional<std::string> recreated_topic(const checkpoint_state& old, const topic_ids& ids) {
    for (const auto& [topic, id] : ids)
        if (!same_topic(old, ids, topic)) return topic;
    return std::nullopt;
}

bool repartitioned(const restore_plan& plan, const std::string& target_topic) {
    for (const auto& t : plan.tasks)
        if (t.target_topic == target_topic && t.target_partition < 0) return true;
    return false;
}

awaitable<std::vector<std::int64_t>> partition_ends(kc::cluster& c, const topic_plan& tp) {
    std::vector<kc::offset_query> queries;
    for (std::int32_t p = 0; p < tp.target_partitions; ++p)
        queries.push_back({tp.target_topic, p, kc::offset_spec::latest()});
    auto offsets = co_await kc::list_offsets(c, queries);
    std::vector<std::int64_t> ends;
    for (const auto& o : offsets) ends.push_back(o.offset);
    co_return ends;
}

// An interrupted repartitioned restore that produced records cannot be resumed:
// each target partition mixes records of every source partition.
void refuse_repartitioned(const restore_plan& plan, const topic_plan& tp,
                          const checkpoint_target& was, const std::vector<std::int64_t>& now) {
    for (std::size_t p = 0; p < now.size() && p < was.ends.size(); ++p) {
        if (now[p] <= was.ends[p]) continue;
        throw kb::error(
            error_class::fatal, "CannotResume",
            fmt::format("restore {} into {} (repartitioned) was interrupted after producing: "
                        "partition {}-{} holds offsets {}..{} written since it began, and a "
                        "repartitioned restore cannot resume exactly; choose: delete and "
                        "recreate {} then re-run with --restart, re-run with --restart to "
                        "produce everything again beside those records, or restore into a new "
                        "topic (--topic-map)",
                        plan.restore_id, tp.target_topic, tp.target_topic, p, was.ends[p],
                        now[p] - 1, tp.target_topic));
    }
}

std::int64_t end_of(const std::vector<kc::partition_offset>& ends, const std::string& topic,
                    std::int32_t partition) {
    for (const auto& e : ends)
        if (e.topic == topic && e.partition == partition) return e.offset;
    return 0;
}

awaitable<std::vector<kc::partition_offset>> single_target_ends(kc::cluster& c,
                                                                const restore_plan& plan) {
    std::vector<kc::offset_query> queries;
    for (const auto& t : plan.tasks)
        if (t.target_partition >= 0)
            queries.push_back({t.target_topic, t.target_partition, kc::offset_spec::latest()});
    std::vector<kc::partition_offset> ends;
    if (!queries.empty()) ends = co_await kc::list_offsets(c, queries);
    co_return ends;
}

// Counts and range of what other producers wrote, for the log.
struct foreign_writes {
    std::int64_t records = 0, first = -1, last = -1;
    void add(std::int64_t from, std::int64_t to) {
        records += to - from + 1;
        if (first < 0) first = from;
        last = to;
    }
};

}  // namespace

awaitable<resume_from> find_own_records(kc::cluster& c, std::string topic, std::int32_t partition,
                                        std::int64_t from, std::int64_t to,
                                        std::vector<std::int64_t> ours) {
    resume_from found;
    foreign_writes foreign;
    auto offset = from;
    while (offset < to) {
        // A named request, not a braced temporary: GCC 12 destroys aggregate
        // temporaries inside a co_await expression twice.
        kc::fetch_partition request{topic, partition, offset, 8 << 20};
        auto fetched = co_await kc::fetch_one(c, std::move(request));
        auto batches = proto::split_batches(fetched.records);
        if (batches.empty()) break;  // nothing more below the high watermark
        for (const auto& b : batches) {
            const auto& h = b.header;
            if (h.last_offset() < offset || h.base_offset >= to) continue;
            const bool own =
                !h.control() && std::find(ours.begin(), ours.end(), h.producer_id) != ours.end();
            if (own)
                found.add(h.base_offset, h.record_count);
            else
                foreign.add(h.base_offset, h.last_offset());
        }
        offset = std::max(offset + 1, fetched.next_offset);
    }
    if (foreign.records > 0)
        kb::log::warn("restore",
                      "{}-{}: offsets {}..{} hold {} records another producer wrote since this "
                      "restore began; they stay, and the restore resumes after its own {} records",
                      topic, partition, foreign.first, foreign.last, foreign.records,
                      found.skip_records);
    co_return found;
}

awaitable<std::optional<resume_points>> prepare_resume(kc::cluster& c, storage::backend& b,
                                                       const restore_plan& plan, bool restart) {
    sf::backup_layout layout(plan.backup_id);
    auto old = co_await load_checkpoint(b, layout, plan.restore_id);
    auto ids = co_await target_topic_ids(c, plan);
    if (old && old->complete && !restart) {
        auto recreated = recreated_topic(*old, ids);
        if (!recreated) co_return std::nullopt;
        kb::log::info("restore",
                      "target topic {} was deleted and recreated since restore {} completed; "
                      "restoring again",
                      *recreated, plan.restore_id);
    }
    const bool resuming = old && !old->complete && !restart;
    checkpoint_state fresh{plan.restore_id, false, {}, {}, 2};
    for (const auto& tp : plan.topics) {
        checkpoint_target target{tp.target_topic, ids[tp.target_topic], {}};
        if (repartitioned(plan, tp.target_topic)) {
            target.ends = co_await partition_ends(c, tp);
            const auto* was = resuming ? old->target(tp.target_topic) : nullptr;
            if (was && same_topic(*old, ids, tp.target_topic))
                refuse_repartitioned(plan, tp, *was, target.ends);
        }
        fresh.targets.push_back(std::move(target));
    }
    auto ends = co_await single_target_ends(c, plan);
    std::vector<std::int64_t> ours;
    if (resuming) ours = co_await registered_producers(b, layout, plan.restore_id);
    resume_points out(plan.tasks.size());
    for (std::size_t i = 0; i < plan.tasks.size(); ++i) {
        const auto& t = plan.tasks[i];
        if (t.target_partition < 0) continue;  // repartitioned: checked above
        auto now = end_of(ends, t.target_topic, t.target_partition);
        const auto* was = resuming && same_topic(*old, ids, t.target_topic)
                              ? old->find(t.source_topic, t.source_partition)
                              : nullptr;
        auto start = (was && was->target_start <= now) ? was->target_start : now;
        fresh.partitions.push_back(
            {t.source_topic, t.source_partition, t.target_topic, t.target_partition, start});
        if (now <= start) continue;
        if (old->version < 2) {
            // A checkpoint of an earlier version registered no producers: everything
            // since the start is taken as this restore's own.
            out[i].add(start, now - start);
        } else {
            out[i] =
                co_await find_own_records(c, t.target_topic, t.target_partition, start, now, ours);
        }
        kb::log::info("restore", "resuming {}-{}: {} records already on {}-{}", t.source_topic,
                      t.source_partition, out[i].skip_records, t.target_topic, t.target_partition);
    }
    co_await save_checkpoint(b, layout, fresh);
    co_return out;
}

}  // namespace kb::restore::detail
