// Offset mapping values, JSON form and storage helpers (see offset_mapping.hpp).
#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace kb::restore {

using json = nlohmann::ordered_json;

void partition_mapping::add(std::int64_t source_first, std::int64_t count,
                            std::int32_t target_partition_, std::int64_t target_first) {
    if (count <= 0) return;
    if (!ranges.empty()) {
        auto& last = ranges.back();
        if (last.target_partition == target_partition_ && last.source_last + 1 == source_first &&
            last.target_last() + 1 == target_first) {
            last.source_last += count;
            return;
        }
    }
    ranges.push_back({source_first, source_first + count - 1, target_first, target_partition_});
}

std::uint64_t partition_mapping::record_count() const noexcept {
    std::uint64_t n = 0;
    for (const auto& r : ranges) n += static_cast<std::uint64_t>(r.count());
    return n;
}

const partition_mapping* offset_mapping::find(std::string_view topic, std::int32_t p) const {
    for (const auto& m : partitions)
        if (m.source_topic == topic && m.source_partition == p) return &m;
    return nullptr;
}

partition_mapping* offset_mapping::find(std::string_view topic, std::int32_t p) {
    return const_cast<partition_mapping*>(std::as_const(*this).find(topic, p));
}

std::optional<target_position> translate(const partition_mapping& m, std::int64_t c) {
    // Ranges ascend by source offset: the first range ending at or after c holds the answer.
    auto it =
        std::lower_bound(m.ranges.begin(), m.ranges.end(), c,
                         [](const offset_range& r, std::int64_t v) { return r.source_last < v; });
    if (it == m.ranges.end()) return std::nullopt;
    auto skip = std::max<std::int64_t>(0, c - it->source_first);
    return target_position{it->target_partition, it->target_first + skip};
}

namespace {

json to_json(const partition_mapping& m) {
    json ranges = json::array();
    for (const auto& r : m.ranges)
        ranges.push_back({{"source_first", r.source_first},
                          {"source_last", r.source_last},
                          {"target_first", r.target_first},
                          {"target_partition", r.target_partition}});
    return {{"source_topic", m.source_topic}, {"source_partition", m.source_partition},
            {"target_topic", m.target_topic}, {"target_partition", m.target_partition},
            {"records", m.record_count()},    {"ranges", std::move(ranges)}};
}

json to_json(const group_translation& g) {
    return {{"group", g.group},
            {"source_topic", g.source_topic},
            {"source_partition", g.source_partition},
            {"source_offset", g.source_offset},
            {"target_topic", g.target_topic},
            {"target_partition", g.target_partition},
            {"target_offset", g.target_offset},
            {"committed", g.committed}};
}

[[noreturn]] void bad(const std::string& where, const std::string& what) {
    throw kb::error(error_class::fatal, "InvalidOffsetMapping",
                    fmt::format("offset mapping: {}: {}", where, what));
}

const json& field(const json& obj, const char* name, const std::string& where) {
    if (!obj.is_object()) bad(where, "not an object");
    auto it = obj.find(name);
    if (it == obj.end()) bad(where + "." + name, "missing");
    return *it;
}

template <class T>
T get(const json& obj, const char* name, const std::string& where) {
    const auto& v = field(obj, name, where);
    if constexpr (std::is_same_v<T, std::string>) {
        if (!v.is_string()) bad(where + "." + name, "not a string");
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean()) bad(where + "." + name, "not a boolean");
    } else {
        if (!v.is_number_integer()) bad(where + "." + name, "not an integer");
        auto n = v.get<std::int64_t>();
        if (n < std::numeric_limits<T>::min() || n > std::numeric_limits<T>::max())
            bad(where + "." + name, "out of range");
    }
    return v.get<T>();
}

offset_range range_from(const json& j, const std::string& w) {
    offset_range r{get<std::int64_t>(j, "source_first", w), get<std::int64_t>(j, "source_last", w),
                   get<std::int64_t>(j, "target_first", w),
                   get<std::int32_t>(j, "target_partition", w)};
    if (r.source_last < r.source_first) bad(w + ".source_last", "below source_first");
    return r;
}

partition_mapping partition_from(const json& j, const std::string& w) {
    partition_mapping m{get<std::string>(j, "source_topic", w),
                        get<std::int32_t>(j, "source_partition", w),
                        get<std::string>(j, "target_topic", w),
                        get<std::int32_t>(j, "target_partition", w),
                        {}};
    const auto& ranges = field(j, "ranges", w);
    if (!ranges.is_array()) bad(w + ".ranges", "not an array");
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        auto rw = fmt::format("{}.ranges[{}]", w, i);
        m.ranges.push_back(range_from(ranges[i], rw));
        if (i > 0 && m.ranges[i].source_first <= m.ranges[i - 1].source_last)
            bad(rw + ".source_first", "overlaps the previous range");
    }
    return m;
}

group_translation group_from(const json& j, const std::string& w) {
    return {get<std::string>(j, "group", w),
            get<std::string>(j, "source_topic", w),
            get<std::int32_t>(j, "source_partition", w),
            get<std::int64_t>(j, "source_offset", w),
            get<std::string>(j, "target_topic", w),
            get<std::int32_t>(j, "target_partition", w),
            get<std::int64_t>(j, "target_offset", w),
            get<bool>(j, "committed", w)};
}

}  // namespace

std::string serialize_offset_mapping(const offset_mapping& m) {
    json parts = json::array(), groups = json::array();
    for (const auto& p : m.partitions) parts.push_back(to_json(p));
    for (const auto& g : m.groups) groups.push_back(to_json(g));
    json j = {{"format_version", m.format_version},
              {"backup_id", m.backup_id},
              {"restore_id", m.restore_id},
              {"created_at", m.created_at},
              {"target_cluster_id", m.target_cluster_id},
              {"partitions", std::move(parts)},
              {"groups", std::move(groups)}};
    return j.dump(2) + "\n";
}

offset_mapping parse_offset_mapping(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) bad("document", "not valid JSON");
    offset_mapping m;
    m.format_version = get<int>(j, "format_version", "document");
    if (m.format_version != offset_mapping_version)
        bad("format_version", fmt::format("{} is not supported (expected {})", m.format_version,
                                          offset_mapping_version));
    m.backup_id = get<std::string>(j, "backup_id", "document");
    m.restore_id = get<std::string>(j, "restore_id", "document");
    m.created_at = get<std::string>(j, "created_at", "document");
    m.target_cluster_id = get<std::string>(j, "target_cluster_id", "document");
    const auto& parts = field(j, "partitions", "document");
    const auto& groups = field(j, "groups", "document");
    if (!parts.is_array()) bad("partitions", "not an array");
    if (!groups.is_array()) bad("groups", "not an array");
    for (std::size_t i = 0; i < parts.size(); ++i)
        m.partitions.push_back(partition_from(parts[i], fmt::format("partitions[{}]", i)));
    for (std::size_t i = 0; i < groups.size(); ++i)
        m.groups.push_back(group_from(groups[i], fmt::format("groups[{}]", i)));
    return m;
}

std::string restores_prefix(const storage::format::backup_layout& layout) {
    return layout.root() + "/restores/";
}

std::string offset_mapping_key(const storage::format::backup_layout& layout,
                               std::string_view restore_id) {
    return fmt::format("{}{}/offset-mapping.json", restores_prefix(layout), restore_id);
}

storage::awaitable<void> write_offset_mapping(storage::backend& b,
                                              storage::format::backup_layout layout,
                                              offset_mapping m) {
    auto key = offset_mapping_key(layout, m.restore_id);
    auto body = runtime::shared_buffer::copy_of(serialize_offset_mapping(m));
    co_await b.put(std::move(key), std::move(body));
}

storage::awaitable<std::optional<offset_mapping>> read_offset_mapping(
    storage::backend& b, storage::format::backup_layout layout, std::string restore_id) {
    runtime::shared_buffer body;
    try {
        auto key = offset_mapping_key(layout, restore_id);
        body = co_await b.get(std::move(key));
    } catch (const kb::error& e) {
        if (e.why() != kb::reason::object_missing) throw;
        co_return std::nullopt;
    }
    co_return parse_offset_mapping(body.as_string_view());
}

storage::awaitable<std::vector<std::string>> list_offset_mappings(
    storage::backend& b, storage::format::backup_layout layout) {
    const auto prefix = restores_prefix(layout);
    const std::string tail = "/offset-mapping.json";
    std::vector<std::string> ids;
    auto objects = co_await storage::list_all(b, prefix);
    for (const auto& o : objects) {
        std::string_view rest(o.key);
        rest.remove_prefix(prefix.size());
        if (rest.size() > tail.size() && rest.ends_with(tail) &&
            rest.find('/') == rest.size() - tail.size())
            ids.emplace_back(rest.substr(0, rest.size() - tail.size()));
    }
    co_return ids;
}

storage::awaitable<std::vector<offset_mapping>> read_offset_mappings(storage::backend& b,
                                                                     std::string backup_id) {
    storage::format::backup_layout layout(backup_id);
    std::vector<offset_mapping> out;
    for (const auto& id : co_await list_offset_mappings(b, layout))
        if (auto m = co_await read_offset_mapping(b, layout, id)) out.push_back(std::move(*m));
    co_return out;
}

}  // namespace kb::restore
