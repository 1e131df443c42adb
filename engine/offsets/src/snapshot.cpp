// Offset snapshots as JSON, ids, and capturing them from a cluster.
#include <kb/kafka/client/groups.hpp>
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <random>
#include <regex>

namespace kb::offsets {
namespace kc = kb::kafka::client;
using nlohmann::json;

namespace {

std::string rfc3339_now() {
    auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto secs = std::chrono::floor<std::chrono::seconds>(now);
    auto ms = (now - secs).count();
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", secs, ms);
}

[[noreturn]] void bad(const std::string& field, const std::string& what) {
    throw kb::error(error_class::fatal, "InvalidSnapshot",
                    fmt::format("offset snapshot: {}: {}", field, what));
}

template <class T>
T field(const json& j, const char* name, const std::string& at) {
    if (!j.is_object() || !j.contains(name)) bad(at + name, "missing");
    try {
        return j.at(name).get<T>();
    } catch (const json::exception&) {
        bad(at + name, "wrong type");
    }
}

}  // namespace

std::string new_snapshot_id() {
    static std::mt19937_64 rng{std::random_device{}()};
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return fmt::format("snap-{}-{:08x}", ms, rng() & 0xffffffff);
}

bool valid_snapshot_id(const std::string& id) {
    static const std::regex ok(R"([A-Za-z0-9._-]{1,128})");
    return std::regex_match(id, ok) && id != "." && id != "..";
}

std::string snapshot_key(const std::string& id) {
    if (!valid_snapshot_id(id))
        throw kb::error(error_class::fatal, "InvalidSnapshotId",
                        fmt::format("'{}' is not a valid snapshot id", id));
    return std::string(snapshots_prefix) + id + ".json";
}

json to_json(const offset_snapshot& s) {
    json groups = json::object();
    for (const auto& [g, offs] : s.groups) {
        json arr = json::array();
        for (const auto& o : offs)
            arr.push_back({{"topic", o.topic},
                           {"partition", o.partition},
                           {"offset", o.offset},
                           {"leader_epoch", o.leader_epoch},
                           {"metadata", o.metadata ? json(*o.metadata) : json(nullptr)}});
        groups[g] = {{"offsets", arr}};
    }
    return {{"format_version", 1},
            {"snapshot_id", s.snapshot_id},
            {"created_at", s.created_at},
            {"description", s.description},
            {"cluster_id", s.cluster_id},
            {"bootstrap_servers", s.bootstrap_servers},
            {"groups", groups}};
}

offset_snapshot parse_snapshot(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) bad("(document)", "not a JSON object");
    offset_snapshot s;
    s.snapshot_id = field<std::string>(j, "snapshot_id", "");
    s.created_at = field<std::string>(j, "created_at", "");
    s.description = field<std::string>(j, "description", "");
    s.cluster_id = field<std::string>(j, "cluster_id", "");
    s.bootstrap_servers = field<std::vector<std::string>>(j, "bootstrap_servers", "");
    auto groups = field<json>(j, "groups", "");
    for (const auto& [g, v] : groups.items()) {
        auto at = fmt::format("groups.{}.", g);
        auto& out = s.groups[g];
        for (const auto& o : field<json>(v, "offsets", at)) {
            snapshot_offset so{field<std::string>(o, "topic", at + "offsets[]."),
                               field<std::int32_t>(o, "partition", at + "offsets[]."),
                               field<std::int64_t>(o, "offset", at + "offsets[]."),
                               -1,
                               {}};
            if (o.contains("leader_epoch")) so.leader_epoch = o["leader_epoch"].get<std::int32_t>();
            if (o.contains("metadata") && o["metadata"].is_string())
                so.metadata = o["metadata"].get<std::string>();
            out.push_back(std::move(so));
        }
    }
    return s;
}

awaitable<offset_snapshot> capture(kc::cluster& c, std::vector<std::string> groups,
                                   std::string description) {
    offset_snapshot s;
    s.snapshot_id = new_snapshot_id();
    s.created_at = rfc3339_now();
    s.description = std::move(description);
    s.cluster_id = c.metadata().cluster_id;
    s.bootstrap_servers = c.config().bootstrap_servers;
    for (const auto& g : groups) {
        auto& out = s.groups[g];
        for (const auto& o : co_await kc::fetch_group_offsets(c, g))
            if (o.offset >= 0)
                out.push_back({o.topic, o.partition, o.offset, o.leader_epoch, o.metadata});
    }
    co_return s;
}

}  // namespace kb::offsets
