// OSO's {backup_id}/consumer-groups-snapshot.json (written by its snapshot-groups
// command and by backup.consumer_group_snapshot) as our manifest's group offsets:
//   {"snapshot_time": <epoch ms>, "groups": [{"group_id": G,
//     "offsets": {TOPIC: {"PARTITION": offset}}}]}
#include "json_reader.hpp"

#include <kb/storage/format/oso.hpp>

#include <algorithm>
#include <charconv>

namespace kb::storage::format {
using detail::json_reader;
using detail::manifest_fail;

namespace {

std::int32_t partition_of(const std::string& key, const std::string& path) {
    std::int32_t p = -1;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), p);
    if (ec != std::errc() || end != key.data() + key.size() || p < 0)
        manifest_fail(path, "'" + key + "' is not a partition number");
    return p;
}

group_snapshot group_from(const json_reader& r, timestamp taken_at) {
    group_snapshot g{r.str("group_id"), taken_at, {}};
    const auto& topics = r.at("offsets");
    if (!topics.is_object()) manifest_fail(r.field_path("offsets"), "expected an object");
    for (const auto& [topic, partitions] : topics.items()) {
        auto tpath = r.field_path("offsets") + "." + topic;
        if (!partitions.is_object()) manifest_fail(tpath, "expected an object");
        for (const auto& [key, offset] : partitions.items()) {
            if (!offset.is_number_integer() || offset.get<std::int64_t>() < 0)
                manifest_fail(tpath + "." + key, "expected an offset (an integer >= 0)");
            g.offsets.push_back(
                {topic, partition_of(key, tpath + "." + key), offset.get<std::int64_t>(), -1, ""});
        }
    }
    std::sort(g.offsets.begin(), g.offsets.end(), [](const auto& a, const auto& b) {
        return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
    });
    return g;
}

}  // namespace

std::string oso_group_snapshot_key(std::string_view backup_id) {
    return std::string(backup_id) + "/consumer-groups-snapshot.json";
}

std::vector<group_snapshot> parse_oso_group_snapshot(std::string_view json_text) {
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_discarded()) manifest_fail("consumer-groups-snapshot", "not JSON");
    json_reader r(j, "consumer-groups-snapshot");
    timestamp taken_at{std::chrono::milliseconds(r.integer_or<std::int64_t>("snapshot_time", 0))};
    std::vector<group_snapshot> out;
    for (const auto& [g, path] : r.array("groups"))
        out.push_back(group_from(json_reader(*g, path), taken_at));
    return out;
}

}  // namespace kb::storage::format
