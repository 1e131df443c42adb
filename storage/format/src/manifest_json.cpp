#include "json_reader.hpp"

#include <kb/storage/format/manifest.hpp>

#include <algorithm>

namespace kb::storage::format {

using detail::json_reader;
using detail::manifest_fail;
using nlohmann::json;

namespace {

const char* status_name(backup_status s) {
    return s == backup_status::complete ? "complete" : "in_progress";
}

json to_json(const segment_ref& s) {
    json j = {{"key", s.key},
              {"first_offset", s.first_offset},
              {"last_offset", s.last_offset},
              {"min_timestamp", s.min_timestamp},
              {"max_timestamp", s.max_timestamp},
              {"record_count", s.record_count},
              {"raw_bytes", s.raw_bytes},
              {"stored_bytes", s.stored_bytes},
              {"checksum", s.checksum},
              {"compression", s.compression}};
    for (auto& a : s.aborted_transactions)
        j["aborted_transactions"].push_back(
            {{"producer_id", a.producer_id}, {"first_offset", a.first_offset}});
    return j;
}

json to_json(const partition_manifest& p) {
    json segs = json::array(), gaps = json::array();
    for (auto& s : p.segments) segs.push_back(to_json(s));
    for (auto& g : p.retention_gaps)
        gaps.push_back({{"first_offset", g.first_offset},
                        {"last_offset", g.last_offset},
                        {"reason", g.reason}});
    return {{"partition", p.partition},
            {"log_start_offset", p.log_start_offset},
            {"start_offset", p.start_offset},
            {"end_offset", p.end_offset},
            {"segments", segs},
            {"retention_gaps", gaps}};
}

json to_json(const topic_manifest& t) {
    json parts = json::array();
    for (auto& p : t.partitions) parts.push_back(to_json(p));
    json j = {{"name", t.name},
              {"partition_count", t.partition_count},
              {"replication_factor", t.replication_factor},
              {"configs", t.configs},
              {"partitions", parts},
              {"empty_partitions", t.empty_partitions}};
    if (!t.topic_id.empty()) j["topic_id"] = t.topic_id;
    return j;
}

json to_json(const group_snapshot& g) {
    json offsets = json::array();
    for (auto& o : g.offsets)
        offsets.push_back({{"topic", o.topic},
                           {"partition", o.partition},
                           {"offset", o.offset},
                           {"leader_epoch", o.leader_epoch},
                           {"metadata", o.metadata}});
    return {
        {"group_id", g.group_id}, {"taken_at", format_timestamp(g.taken_at)}, {"offsets", offsets}};
}

json to_json(const acl_entry& a) {
    return {{"resource_type", a.resource_type},
            {"resource_name", a.resource_name},
            {"pattern_type", a.pattern_type},
            {"principal", a.principal},
            {"host", a.host},
            {"operation", a.operation},
            {"permission", a.permission}};
}

acl_entry acl_from(const json_reader& r) {
    return {r.str("resource_type"), r.str("resource_name"), r.str("pattern_type"),
            r.str("principal"),     r.str("host"),          r.str("operation"),
            r.str("permission")};
}

timestamp time_field(const json_reader& r, const char* key) {
    try {
        return parse_timestamp(r.str(key));
    } catch (const std::invalid_argument& e) {
        manifest_fail(r.field_path(key), e.what());
    }
}

segment_ref segment_from(const json_reader& r) {
    segment_ref s;
    s.key = r.str("key");
    s.first_offset = r.integer<std::int64_t>("first_offset", 0);
    s.last_offset = r.integer<std::int64_t>("last_offset", 0);
    s.min_timestamp = r.integer<std::int64_t>("min_timestamp");
    s.max_timestamp = r.integer<std::int64_t>("max_timestamp");
    s.record_count = r.integer<std::uint64_t>("record_count");
    s.raw_bytes = r.integer<std::uint64_t>("raw_bytes");
    s.stored_bytes = r.integer<std::uint64_t>("stored_bytes");
    s.checksum = r.str("checksum");
    s.compression = r.str_or("compression", "zstd");
    for (auto& [j, path] : r.array("aborted_transactions", false)) {
        json_reader a(*j, path);
        s.aborted_transactions.push_back({a.integer<std::int64_t>("producer_id", 0),
                                          a.integer<std::int64_t>("first_offset", 0)});
    }
    return s;
}

partition_manifest partition_from(const json_reader& r) {
    partition_manifest p;
    p.partition = r.integer<std::int32_t>("partition", 0);
    p.log_start_offset = r.integer_or<std::int64_t>("log_start_offset", -1);
    p.end_offset = r.integer_or<std::int64_t>("end_offset", -1);
    p.start_offset = r.integer_or<std::int64_t>("start_offset", -1);
    for (auto& [j, path] : r.array("segments"))
        p.segments.push_back(segment_from(json_reader(*j, path)));
    for (auto& [j, path] : r.array("retention_gaps", false)) {
        json_reader g(*j, path);
        p.retention_gaps.push_back({g.integer<std::int64_t>("first_offset", 0),
                                    g.integer<std::int64_t>("last_offset", 0),
                                    g.str_or("reason", "")});
    }
    return p;
}

topic_manifest topic_from(const json_reader& r) {
    topic_manifest t;
    t.name = r.str("name");
    t.topic_id = r.str_or("topic_id", "");
    t.partition_count = r.integer<std::int32_t>("partition_count", 1);
    t.replication_factor = r.integer_or<std::int16_t>("replication_factor", -1);
    if (r.has("configs")) {
        auto& c = r.at("configs");
        if (!c.is_object()) manifest_fail(r.field_path("configs"), "expected an object");
        for (auto& [k, v] : c.items()) {
            if (!v.is_string())
                manifest_fail(r.field_path("configs") + "." + k, "expected a string");
            t.configs[k] = v.get<std::string>();
        }
    }
    for (auto& [j, path] : r.array("partitions"))
        t.partitions.push_back(partition_from(json_reader(*j, path)));
    for (auto& [j, path] : r.array("empty_partitions", false)) {
        if (!j->is_number_integer() || *j < 0 || *j > INT32_MAX)
            manifest_fail(path, "expected a partition number");
        t.empty_partitions.push_back(j->get<std::int32_t>());
    }
    return t;
}

group_snapshot group_from(const json_reader& r) {
    group_snapshot g;
    g.group_id = r.str("group_id");
    g.taken_at = time_field(r, "taken_at");
    for (auto& [j, path] : r.array("offsets")) {
        json_reader o(*j, path);
        g.offsets.push_back({o.str("topic"), o.integer<std::int32_t>("partition", 0),
                             o.integer<std::int64_t>("offset", -1),
                             o.integer_or<std::int32_t>("leader_epoch", -1),
                             o.str_or("metadata", "")});
    }
    return g;
}

void read_header_fields(const json_reader& r, manifest& m) {
    m.format_version = r.integer<int>("format_version", 1, manifest_version);
    m.backup_id = r.str("backup_id");
    m.tool_version = r.str("tool_version");
    m.sequence = r.integer<std::uint64_t>("sequence");
    m.writer_id = r.str_or("writer_id", "");
    auto status = r.str("status");
    if (status != "complete" && status != "in_progress")
        manifest_fail(r.field_path("status"), "expected \"in_progress\" or \"complete\"");
    m.status = status == "complete" ? backup_status::complete : backup_status::in_progress;
    m.created_at = time_field(r, "created_at");
    m.updated_at = time_field(r, "updated_at");
}

}  // namespace

const topic_manifest* manifest::find_topic(std::string_view name) const {
    auto it = std::find_if(topics.begin(), topics.end(), [&](auto& t) { return t.name == name; });
    return it == topics.end() ? nullptr : &*it;
}

topic_manifest* manifest::find_topic(std::string_view name) {
    return const_cast<topic_manifest*>(std::as_const(*this).find_topic(name));
}

std::string serialize_manifest(const manifest& m) {
    validate_manifest(m);
    json topics = json::array(), groups = json::array();
    for (auto& t : m.topics) topics.push_back(to_json(t));
    for (auto& g : m.consumer_groups) groups.push_back(to_json(g));
    json j = {
        {"format_version", m.format_version},
        {"backup_id", m.backup_id},
        {"tool_version", m.tool_version},
        {"sequence", m.sequence},
        {"writer_id", m.writer_id},
        {"status", status_name(m.status)},
        {"created_at", format_timestamp(m.created_at)},
        {"updated_at", format_timestamp(m.updated_at)},
        {"source",
         {{"cluster_id", m.source.cluster_id}, {"bootstrap_servers", m.source.bootstrap_servers}}},
        {"topics", topics},
        {"consumer_groups", groups}};
    if (m.acls) {
        json acls = json::array();
        for (auto& a : *m.acls) acls.push_back(to_json(a));
        j["acls"] = acls;
    }
    return j.dump() + "\n";  // compact: a third smaller than indented, read by tools
}

manifest parse_manifest(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) manifest_fail("(document)", "not valid JSON");
    json_reader r(j, "");
    manifest m;
    read_header_fields(r, m);
    auto src = r.object("source");
    m.source.cluster_id = src.str_or("cluster_id", "");
    for (auto& [e, path] : src.array("bootstrap_servers", false)) {
        if (!e->is_string()) manifest_fail(path, "expected a string");
        m.source.bootstrap_servers.push_back(e->get<std::string>());
    }
    for (auto& [e, path] : r.array("topics")) m.topics.push_back(topic_from(json_reader(*e, path)));
    for (auto& [e, path] : r.array("consumer_groups", false))
        m.consumer_groups.push_back(group_from(json_reader(*e, path)));
    if (r.has("acls")) {
        m.acls.emplace();
        for (auto& [e, path] : r.array("acls")) m.acls->push_back(acl_from(json_reader(*e, path)));
    }
    validate_manifest(m);
    return m;
}

}  // namespace kb::storage::format
