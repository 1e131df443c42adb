// Plan and summary rendering, text and JSON.
#include <kb/restore/restore.hpp>
#include <kb/runtime/progress.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kb::restore {

using json = nlohmann::ordered_json;

namespace {

std::string window_text(const restore_plan& p) {
    if (!p.time_window_start && !p.time_window_end) return "all records";
    return fmt::format("records with timestamps in [{}, {}]",
                       p.time_window_start ? std::to_string(*p.time_window_start) : "-inf",
                       p.time_window_end ? std::to_string(*p.time_window_end) : "+inf");
}

std::string id_text(const std::string& id) {
    return id.empty() ? "unknown" : id;
}

json id_json(const std::string& id) {
    return id.empty() ? json() : json(id);
}

std::string target_text(const partition_task& t) {
    return t.target_partition < 0
               ? fmt::format("{} (murmur2 over {} partitions)", t.target_topic, t.target_partitions)
               : fmt::format("{}-{}", t.target_topic, t.target_partition);
}

}  // namespace

std::string format_plan_text(const restore_plan& p) {
    std::string out = fmt::format("Restore plan for backup {} (restore id {}): {}\n", p.backup_id,
                                  p.restore_id, window_text(p));
    for (const auto& t : p.topics)
        out += fmt::format("  topic {} (id {}) -> {} (id {}) ({} -> {} partitions)\n",
                           t.source_topic, id_text(t.source_topic_id), t.target_topic,
                           t.exists ? id_text(t.target_topic_id) : "new", t.source_partitions,
                           t.target_partitions);
    for (const auto& t : p.tasks)
        out +=
            fmt::format("    {}-{} -> {}: offsets {}..{}, {} segments, ~{} records, {}\n",
                        t.source_topic, t.source_partition, target_text(t),
                        std::max(t.first_offset, t.segments.front().first_offset),
                        std::min(t.last_offset, t.segments.back().last_offset), t.segments.size(),
                        t.estimated_records, runtime::format_bytes(double(t.stored_bytes)));
    out += fmt::format("  total: {} segments, {} to read, ~{} records\n", p.segments,
                       runtime::format_bytes(double(p.stored_bytes)), p.estimated_records);
    for (const auto& g : p.groups)
        out += fmt::format("  consumer group {}: {} offsets to translate\n", g.group_id,
                           g.offsets.size());
    for (const auto& a : p.acls)
        out +=
            fmt::format("  acl: {} {} {} on {} '{}' ({}) from host {}\n", a.permission, a.principal,
                        a.operation, a.resource_type, a.resource_name, a.pattern_type, a.host);
    for (const auto& a : p.consumer_offset_actions)
        out += fmt::format("  consumer offsets: {}\n", a);
    if (!p.checks.empty()) out += "Preflight checks:\n";
    for (const auto& c : p.checks)
        out += fmt::format("  [{}] {}: {}\n", c.ok ? "ok" : "FAIL", c.name, c.detail);
    return out;
}

std::string format_plan_json(const restore_plan& p) {
    json topics = json::array(), tasks = json::array(), checks = json::array(),
         groups = json::array();
    for (const auto& t : p.topics)
        topics.push_back({{"source_topic", t.source_topic},
                          {"target_topic", t.target_topic},
                          {"source_topic_id", id_json(t.source_topic_id)},
                          {"target_topic_id", id_json(t.target_topic_id)},
                          {"source_partitions", t.source_partitions},
                          {"target_partitions", t.target_partitions},
                          {"exists", t.exists},
                          {"create", t.create},
                          {"replication_factor", t.replication_factor},
                          {"configs", t.configs}});
    for (const auto& t : p.tasks) {
        json segs = json::array();
        for (const auto& s : t.segments) segs.push_back(s.key);
        tasks.push_back(
            {{"source_topic", t.source_topic},
             {"source_partition", t.source_partition},
             {"target_topic", t.target_topic},
             {"target_partition", t.target_partition},
             {"first_offset", std::max(t.first_offset, t.segments.front().first_offset)},
             {"last_offset", std::min(t.last_offset, t.segments.back().last_offset)},
             {"estimated_records", t.estimated_records},
             {"stored_bytes", t.stored_bytes},
             {"segments", segs}});
    }
    for (const auto& c : p.checks)
        checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
    for (const auto& g : p.groups)
        groups.push_back({{"group", g.group_id}, {"offsets", g.offsets.size()}});
    json acls = json::array();
    for (const auto& a : p.acls)
        acls.push_back({{"resource_type", a.resource_type},
                        {"resource_name", a.resource_name},
                        {"pattern_type", a.pattern_type},
                        {"principal", a.principal},
                        {"host", a.host},
                        {"operation", a.operation},
                        {"permission", a.permission}});
    json j = {{"backup_id", p.backup_id},
              {"restore_id", p.restore_id},
              {"dry_run", true},
              {"time_window_start", p.time_window_start ? json(*p.time_window_start) : json()},
              {"time_window_end", p.time_window_end ? json(*p.time_window_end) : json()},
              {"topics", topics},
              {"partitions", tasks},
              {"segments", p.segments},
              {"stored_bytes", p.stored_bytes},
              {"estimated_records", p.estimated_records},
              {"groups", groups},
              {"acls", acls},
              {"consumer_offset_actions", p.consumer_offset_actions},
              {"checks", checks},
              {"checks_ok", p.checks_ok()}};
    return j.dump(2) + "\n";
}

namespace {

std::string groups_text(const restore_summary& s) {
    std::string out;
    for (const auto& g : s.groups)
        out += fmt::format("  group {}: {}-{} offset {} -> {}-{} offset {}{}\n", g.group,
                           g.source_topic, g.source_partition, g.source_offset, g.target_topic,
                           g.target_partition, g.target_offset, g.committed ? " (committed)" : "");
    return out;
}

std::string timestamp_text(std::int64_t ms) {
    return storage::format::format_timestamp(
        storage::format::timestamp(std::chrono::milliseconds(ms)));
}

}  // namespace

std::string format_summary_text(const restore_summary& s) {
    if (s.already_complete)
        return fmt::format(
                   "Restore {} of backup {} had already completed: nothing produced (add "
                   "--restart to produce its records again)\n",
                   s.restore_id, s.backup_id) +
               groups_text(s);
    const double mbps = s.seconds > 0 ? double(s.bytes) / 1e6 / s.seconds : 0;
    std::string out = fmt::format(
        "Restored backup {} (restore id {}): {} records, {} in {:.1f}s ({:.1f} MB/s)\n"
        "  batches passed through: {}, re-encoded: {}; segments read: {}; records left out: {}\n",
        s.backup_id, s.restore_id, s.records, runtime::format_bytes(double(s.bytes)), s.seconds,
        mbps, s.batches_passed, s.batches_reencoded, s.segments_read, s.records_skipped);
    if (s.partitions_resumed)
        out += fmt::format("  resumed partitions: {}\n", s.partitions_resumed);
    if (s.aborted_transactions || s.open_transactions)
        out += fmt::format(
            "  transactions left out: {} aborted ({} records), {} without a marker when the "
            "backup stopped ({} records)\n",
            s.aborted_transactions, s.aborted_records, s.open_transactions, s.uncommitted_records);
    for (const auto& t : s.topics)
        out += fmt::format("  {} (id {}) -> {}: {} records, {}{}\n", t.source_topic,
                           id_text(t.source_topic_id), t.target_topic, t.records,
                           runtime::format_bytes(double(t.bytes)),
                           t.created_keeping_records ? " (created with retention.ms=-1)" : "");
    for (const auto& r : s.retention_risks)
        out += fmt::format(
            "  WARNING {}: {} records (up to {}) have timestamps from {} to {}, older than its "
            "retention.ms ({}): the broker will delete them\n",
            r.topic, r.records, r.records_up_to, timestamp_text(r.oldest), timestamp_text(r.newest),
            r.retention_ms);
    if (s.acls_created) out += fmt::format("  ACLs created: {}\n", s.acls_created);
    out += fmt::format("  offset mapping: {}\n", s.mapping_key);
    return out + groups_text(s);
}

std::string format_summary_json(const restore_summary& s) {
    json topics = json::array(), groups = json::array();
    for (const auto& t : s.topics)
        topics.push_back({{"source_topic", t.source_topic},
                          {"target_topic", t.target_topic},
                          {"source_topic_id", id_json(t.source_topic_id)},
                          {"records", t.records},
                          {"bytes", t.bytes},
                          {"created_with_unlimited_retention", t.created_keeping_records}});
    json risks = json::array();
    for (const auto& r : s.retention_risks)
        risks.push_back({{"topic", r.topic},
                         {"retention_ms", r.retention_ms},
                         {"records", r.records},
                         {"records_up_to", r.records_up_to},
                         {"oldest", timestamp_text(r.oldest)},
                         {"newest", timestamp_text(r.newest)}});
    for (const auto& g : s.groups)
        groups.push_back({{"group", g.group},
                          {"source_topic", g.source_topic},
                          {"source_partition", g.source_partition},
                          {"source_offset", g.source_offset},
                          {"target_topic", g.target_topic},
                          {"target_partition", g.target_partition},
                          {"target_offset", g.target_offset},
                          {"committed", g.committed}});
    json j = {{"backup_id", s.backup_id},
              {"restore_id", s.restore_id},
              {"already_complete", s.already_complete},
              {"records", s.records},
              {"bytes", s.bytes},
              {"seconds", s.seconds},
              {"mb_per_sec", s.seconds > 0 ? double(s.bytes) / 1e6 / s.seconds : 0.0},
              {"batches_passed", s.batches_passed},
              {"batches_reencoded", s.batches_reencoded},
              {"segments_read", s.segments_read},
              {"records_left_out", s.records_skipped},
              {"partitions_resumed", s.partitions_resumed},
              {"transactions",
               {{"aborted", s.aborted_transactions},
                {"aborted_records", s.aborted_records},
                {"open_at_backup_end", s.open_transactions},
                {"uncommitted_records", s.uncommitted_records}}},
              {"offset_mapping", s.mapping_key},
              {"acls_created", s.acls_created},
              {"topics", topics},
              {"records_at_risk_of_retention", risks},
              {"groups", groups}};
    return j.dump(2) + "\n";
}

}  // namespace kb::restore
