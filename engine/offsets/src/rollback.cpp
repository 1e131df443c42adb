// offset-rollback: commit a snapshot's offsets back, and read them back to verify.
#include <kb/kafka/client/groups.hpp>
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>

namespace kb::offsets {
namespace kc = kb::kafka::client;
using nlohmann::json;

bool rollback_result::ok() const noexcept {
    const char* good = verify_only ? "verified" : "restored";
    for (const auto& g : groups)
        if (g.status != good || g.verified == false) return false;
    return true;
}

namespace {

bool snapshot_has(const std::vector<snapshot_offset>& want, const kc::group_offset& h) {
    for (const auto& w : want)
        if (w.topic == h.topic && w.partition == h.partition) return true;
    return false;
}

awaitable<std::vector<kc::group_offset>> committed_now(kc::cluster& c, std::string group) {
    std::vector<std::string> every_topic;
    co_return co_await kc::fetch_group_offsets(c, std::move(group), std::move(every_topic));
}

awaitable<void> restore_group(kc::cluster& c, std::string group,
                              const std::vector<snapshot_offset>& offs, bool verify,
                              group_rollback& out) {
    std::vector<std::string> names{group};
    auto d = co_await kc::describe_groups(c, std::move(names));
    if (!d.empty() && !d.front().members.empty()) {
        out.status = "refused";
        out.message = fmt::format("group '{}' has {} active member(s); stop its consumers first",
                                  group, d.front().members.size());
        co_return;
    }
    std::vector<kc::group_offset> commit;
    for (const auto& o : offs)
        commit.push_back({o.topic, o.partition, o.offset, o.leader_epoch, o.metadata});
    if (!commit.empty()) co_await kc::commit_group_offsets(c, group, std::move(commit));
    auto now = co_await committed_now(c, group);
    auto extra = commits_not_in_snapshot(offs, now);
    out.deleted = extra.size();
    co_await kc::delete_group_offsets(c, group, std::move(extra));
    out.status = "restored";
    if (!verify) co_return;
    auto after = co_await committed_now(c, group);
    out.mismatches = compare_with_snapshot(offs, after);
    out.verified = out.mismatches.empty();
}

}  // namespace

std::vector<kc::group_partition> commits_not_in_snapshot(
    const std::vector<snapshot_offset>& want, const std::vector<kc::group_offset>& have) {
    std::vector<kc::group_partition> out;
    for (const auto& h : have)
        if (h.offset >= 0 && !snapshot_has(want, h)) out.push_back({h.topic, h.partition});
    return out;
}

std::vector<offset_mismatch> compare_with_snapshot(const std::vector<snapshot_offset>& want,
                                                   const std::vector<kc::group_offset>& have) {
    std::vector<offset_mismatch> out;
    for (const auto& w : want) {
        std::optional<std::int64_t> actual;
        for (const auto& h : have)
            if (h.topic == w.topic && h.partition == w.partition && h.offset >= 0)
                actual = h.offset;
        if (actual != w.offset) out.push_back({w.topic, w.partition, w.offset, actual});
    }
    for (const auto& p : commits_not_in_snapshot(want, have)) {
        std::optional<std::int64_t> actual;
        for (const auto& h : have)
            if (h.topic == p.topic && h.partition == p.partition) actual = h.offset;
        out.push_back({p.topic, p.partition, std::nullopt, actual});
    }
    return out;
}

awaitable<rollback_result> rollback(kc::cluster& c, offset_snapshot s, bool verify) {
    rollback_result r;
    r.snapshot_id = s.snapshot_id;
    r.verify = verify;
    for (const auto& [group, offs] : s.groups) {
        group_rollback g{group, "failed", "", offs.size(), 0, std::nullopt, {}};
        try {
            co_await restore_group(c, group, offs, verify, g);
        } catch (const kb::error& e) {
            if (kb::is_cancellation(e)) throw;
            g.status = e.why() == kb::reason::group_active ? "refused" : "failed";
            g.message = e.what();
        }
        r.groups.push_back(std::move(g));
    }
    co_return r;
}

awaitable<rollback_result> verify_snapshot(kc::cluster& c, offset_snapshot s) {
    rollback_result r;
    r.snapshot_id = s.snapshot_id;
    r.verify = true;
    r.verify_only = true;
    for (const auto& [group, offs] : s.groups) {
        group_rollback g{group, "failed", "", offs.size(), 0, std::nullopt, {}};
        try {
            g.mismatches = compare_with_snapshot(offs, co_await committed_now(c, group));
            g.verified = g.mismatches.empty();
            g.status = *g.verified ? "verified" : "differs";
        } catch (const kb::error& e) {
            if (kb::is_cancellation(e)) throw;
            g.message = e.what();
        }
        r.groups.push_back(std::move(g));
    }
    co_return r;
}

json to_json(const rollback_result& r) {
    json groups = json::array();
    for (const auto& g : r.groups) {
        json mm = json::array();
        for (const auto& m : g.mismatches)
            mm.push_back({{"topic", m.topic},
                          {"partition", m.partition},
                          {"expected", m.expected ? json(*m.expected) : json(nullptr)},
                          {"actual", m.actual ? json(*m.actual) : json(nullptr)}});
        groups.push_back({{"group", g.group},
                          {"status", g.status},
                          {"message", g.message},
                          {"partitions", g.partitions},
                          {"deleted", g.deleted},
                          {"verified", g.verified ? json(*g.verified) : json(nullptr)},
                          {"mismatches", mm}});
    }
    return {
        {"snapshot_id", r.snapshot_id}, {"verify", r.verify}, {"ok", r.ok()}, {"groups", groups}};
}

std::string to_text(const rollback_result& r) {
    std::string out;
    for (const auto& g : r.groups) {
        out += fmt::format("{}: {} ({} partitions{}){}{}\n", g.group, g.status, g.partitions,
                           g.deleted ? fmt::format(", {} commits deleted", g.deleted) : "",
                           g.verified ? (*g.verified ? ", verified" : ", VERIFY FAILED") : "",
                           g.message.empty() ? "" : ": " + g.message);
        for (const auto& m : g.mismatches)
            out += fmt::format("  {}-{}: expected {}, found {}\n", m.topic, m.partition,
                               m.expected ? std::to_string(*m.expected) : "nothing",
                               m.actual ? std::to_string(*m.actual) : "nothing");
    }
    out += fmt::format("{} {}: {}\n", r.verify_only ? "Verification against" : "Rollback to",
                       r.snapshot_id, r.ok() ? "OK" : "FAILED");
    return out;
}

}  // namespace kb::offsets
