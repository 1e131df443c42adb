// Offset snapshots in storage (ours, and OSO's read), and their listings.
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::offsets {
using nlohmann::json;

namespace {

std::string oso_metadata_key(const std::string& id) {
    return std::string(snapshots_prefix) + id + "/metadata.json";
}

[[noreturn]] void no_such(const storage::backend& b, const std::string& id) {
    throw kb::error(error_class::not_found, "NoSuchSnapshot",
                    fmt::format("no offset snapshot '{}' in {}", id, b.describe()));
}

// A listed key as a snapshot: ours (<prefix><id>.json) or OSO's
// (<prefix><id>/snapshot.json); OSO's metadata.json and anything else are skipped.
std::optional<bool> is_oso_key(const std::string& key) {
    auto rest = std::string_view(key).substr(std::string_view(snapshots_prefix).size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos)
        return rest.ends_with(".json") ? std::optional(false) : std::nullopt;
    if (rest.substr(slash) == "/snapshot.json") return true;
    return std::nullopt;
}

}  // namespace

awaitable<void> save_snapshot(storage::backend& b, offset_snapshot s) {
    auto key = snapshot_key(s.snapshot_id);
    co_await b.put(key, runtime::shared_buffer::copy_of(to_json(s).dump(2) + "\n"));
}

awaitable<offset_snapshot> load_snapshot(storage::backend& b, std::string id) {
    auto key = snapshot_key(id);
    if (co_await b.head(key)) {
        auto body = co_await b.get(key);
        co_return parse_snapshot(std::string(body.as_string_view()));
    }
    auto oso = oso_snapshot_key(id);
    if (!co_await b.head(oso)) no_such(b, id);
    auto body = co_await b.get(oso);
    co_return parse_oso_snapshot(std::string(body.as_string_view()));
}

awaitable<std::vector<offset_snapshot>> list_snapshots(storage::backend& b) {
    std::vector<offset_snapshot> out;
    for (const auto& o : co_await storage::list_all(b, snapshots_prefix)) {
        auto oso = is_oso_key(o.key);
        if (!oso) continue;
        auto body = co_await b.get(o.key);
        auto text = std::string(body.as_string_view());
        out.push_back(*oso ? parse_oso_snapshot(text) : parse_snapshot(text));
    }
    // RFC 3339 UTC times of both writers sort as text.
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.created_at > b.created_at; });
    co_return out;
}

awaitable<void> delete_snapshot(storage::backend& b, std::string id) {
    auto key = snapshot_key(id);
    if (co_await b.head(key)) {
        co_await b.remove(key);
        co_return;
    }
    auto oso = oso_snapshot_key(id);
    if (!co_await b.head(oso)) no_such(b, id);
    co_await b.remove(oso);
    auto meta = oso_metadata_key(id);
    if (co_await b.head(meta)) co_await b.remove(meta);
}

json list_json(const std::vector<offset_snapshot>& all) {
    json arr = json::array();
    for (const auto& s : all) {
        std::vector<std::string> groups;
        std::size_t offsets = 0;
        for (const auto& [g, o] : s.groups) {
            groups.push_back(g);
            offsets += o.size();
        }
        arr.push_back({{"snapshot_id", s.snapshot_id},
                       {"created_at", s.created_at},
                       {"group_count", groups.size()},
                       {"offset_count", offsets},
                       {"restore_id", s.restore_id ? json(*s.restore_id) : json(nullptr)},
                       {"description", s.description},
                       {"groups", groups},
                       {"written_by", s.written_by}});
    }
    return arr;
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
