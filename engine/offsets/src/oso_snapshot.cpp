// Offset snapshots written by OSO kafka-backup's `offset-rollback snapshot`
// (kafka-backup-core src/restore/offset_rollback.rs, 0.17 and 0.25 alike):
//   offset-snapshots/<id>/snapshot.json   the OffsetSnapshot, read here
//   offset-snapshots/<id>/metadata.json   its summary, which we do not need
// OffsetSnapshot: {snapshot_id, created_at (RFC 3339), group_offsets: {GROUP:
// {group_id, offsets: {TOPIC: {"PARTITION": {offset, metadata, timestamp}}},
// partition_count}}, restore_id, cluster_id, bootstrap_servers, description};
// restore_id, cluster_id, description and metadata may be null.
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace kb::offsets {
using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& field, const std::string& what) {
    throw kb::error(error_class::fatal, "InvalidSnapshot",
                    fmt::format("OSO offset snapshot: {}: {}", field, what));
}

const json& member(const json& j, const char* name, const std::string& at) {
    if (!j.is_object() || !j.contains(name)) bad(at + name, "missing");
    return j.at(name);
}

std::string text_or_empty(const json& j, const char* name, const std::string& at) {
    if (!j.contains(name) || j.at(name).is_null()) return {};
    if (!j.at(name).is_string()) bad(at + name, "not a string");
    return j.at(name).get<std::string>();
}

std::int32_t partition_of(const std::string& key, const std::string& at) {
    std::int32_t p = -1;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), p);
    if (ec != std::errc() || end != key.data() + key.size() || p < 0)
        bad(at, "'" + key + "' is not a partition number");
    return p;
}

std::vector<snapshot_offset> group_offsets(const json& group, const std::string& at) {
    std::vector<snapshot_offset> out;
    const auto& topics = member(group, "offsets", at);
    if (!topics.is_object()) bad(at + "offsets", "not an object");
    for (const auto& [topic, partitions] : topics.items()) {
        if (!partitions.is_object()) bad(at + "offsets." + topic, "not an object");
        for (const auto& [key, state] : partitions.items()) {
            auto where = at + "offsets." + topic + "." + key + ".";
            const auto& offset = member(state, "offset", where);
            if (!offset.is_number_integer()) bad(where + "offset", "not an integer");
            snapshot_offset o{topic, partition_of(key, where), offset.get<std::int64_t>(), -1, {}};
            if (state.contains("metadata") && state.at("metadata").is_string())
                o.metadata = state.at("metadata").get<std::string>();
            out.push_back(std::move(o));
        }
    }
    // serde writes HashMaps in no particular order.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
    });
    return out;
}

}  // namespace

std::string oso_snapshot_key(const std::string& id) {
    snapshot_key(id);  // throws for an id that is not one
    return std::string(snapshots_prefix) + id + "/snapshot.json";
}

offset_snapshot parse_oso_snapshot(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) bad("(document)", "not a JSON object");
    offset_snapshot s;
    s.written_by = "oso";
    const auto& id = member(j, "snapshot_id", "");
    const auto& created = member(j, "created_at", "");
    if (!id.is_string() || !created.is_string()) bad("snapshot_id/created_at", "not a string");
    s.snapshot_id = id.get<std::string>();
    s.created_at = created.get<std::string>();
    s.description = text_or_empty(j, "description", "");
    s.cluster_id = text_or_empty(j, "cluster_id", "");
    if (auto r = text_or_empty(j, "restore_id", ""); !r.empty()) s.restore_id = r;
    if (j.contains("bootstrap_servers") && j.at("bootstrap_servers").is_array())
        for (const auto& b : j.at("bootstrap_servers"))
            if (b.is_string()) s.bootstrap_servers.push_back(b.get<std::string>());
    const auto& groups = member(j, "group_offsets", "");
    if (!groups.is_object()) bad("group_offsets", "not an object");
    for (const auto& [g, state] : groups.items())
        s.groups[g] = group_offsets(state, "group_offsets." + g + ".");
    return s;
}

}  // namespace kb::offsets
