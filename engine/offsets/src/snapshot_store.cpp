// Offset snapshots in storage, and their listings.
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>

namespace kb::offsets {
using nlohmann::json;

awaitable<void> save_snapshot(storage::backend& b, offset_snapshot s) {
    auto key = snapshot_key(s.snapshot_id);
    co_await b.put(key, runtime::shared_buffer::copy_of(to_json(s).dump(2) + "\n"));
}

awaitable<offset_snapshot> load_snapshot(storage::backend& b, std::string id) {
    auto key = snapshot_key(id);
    if (!co_await b.head(key))
        throw kb::error(error_class::not_found, "NoSuchSnapshot",
                        fmt::format("no offset snapshot '{}' in {}", id, b.describe()));
    auto body = co_await b.get(key);
    co_return parse_snapshot(std::string(body.as_string_view()));
}

awaitable<std::vector<offset_snapshot>> list_snapshots(storage::backend& b) {
    std::vector<offset_snapshot> out;
    for (const auto& o : co_await storage::list_all(b, snapshots_prefix)) {
        if (!o.key.ends_with(".json")) continue;
        auto body = co_await b.get(o.key);
        out.push_back(parse_snapshot(std::string(body.as_string_view())));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
    co_return out;
}

awaitable<void> delete_snapshot(storage::backend& b, std::string id) {
    auto key = snapshot_key(id);
    if (!co_await b.head(key))
        throw kb::error(error_class::not_found, "NoSuchSnapshot",
                        fmt::format("no offset snapshot '{}' in {}", id, b.describe()));
    co_await b.remove(key);
}

json list_json(const std::vector<offset_snapshot>& all) {
    json arr = json::array();
    for (const auto& s : all) {
        std::vector<std::string> groups;
        for (const auto& [g, o] : s.groups) groups.push_back(g);
        arr.push_back({{"snapshot_id", s.snapshot_id},
                       {"created_at", s.created_at},
                       {"description", s.description},
                       {"groups", groups}});
    }
    return {{"snapshots", arr}};
}

std::string list_text(const std::vector<offset_snapshot>& all) {
    if (all.empty()) return "No offset snapshots.\n";
    std::string out;
    for (const auto& s : all) {
        std::string groups;
        for (const auto& [g, o] : s.groups) groups += (groups.empty() ? "" : ",") + g;
        out += fmt::format("{}  {}  {}  {}\n", s.snapshot_id, s.created_at, groups, s.description);
    }
    return out;
}

std::string show_text(const offset_snapshot& s) {
    std::string out = fmt::format("Snapshot {} taken {}\nDescription: {}\n", s.snapshot_id,
                                  s.created_at, s.description);
    for (const auto& [g, offs] : s.groups) {
        out += fmt::format("\nGroup {} ({} partitions)\n", g, offs.size());
        for (const auto& o : offs)
            out += fmt::format("  {}-{}  {}\n", o.topic, o.partition, o.offset);
    }
    return out;
}

}  // namespace kb::offsets
