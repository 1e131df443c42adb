#include <kb/runtime/echo.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest.hpp>

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace kb::storage::format {

namespace {

template <class T>
std::optional<T> to_number(std::string_view s) {
    T v{};
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string_view last_component(std::string_view key) {
    auto slash = key.rfind('/');
    return slash == std::string_view::npos ? key : key.substr(slash + 1);
}

}  // namespace

bool valid_topic_name(std::string_view t) {
    if (t.empty() || t.size() > 249 || t == "." || t == "..") return false;
    for (char c : t)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            return false;
    return true;
}

backup_layout::backup_layout(std::string backup_id, std::string prefix)
    : id_(std::move(backup_id)) {
    if (!valid_backup_id(id_))
        throw std::invalid_argument(fmt::format(
            "backup id '{}' must be 1..128 characters of letters, digits, '.', '_' or '-'", id_));
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
    root_ = prefix.empty() ? id_ : prefix + "/" + id_;
}

std::string backup_layout::segments_prefix() const {
    return root_ + "/segments/";
}

std::string backup_layout::topic_prefix(std::string_view topic) const {
    if (!valid_topic_name(topic))
        throw std::invalid_argument(fmt::format("invalid topic name '{}'", topic));
    return fmt::format("{}{}/", segments_prefix(), topic);
}

std::string backup_layout::partition_prefix(std::string_view topic, std::int32_t partition) const {
    return fmt::format("{}{}/", topic_prefix(topic), partition);
}

std::string backup_layout::segment(std::string_view topic, std::int32_t partition,
                                   std::int64_t first_offset) const {
    if (first_offset < 0)
        throw std::invalid_argument(fmt::format("bad segment offset {}", first_offset));
    return fmt::format("{}{:020}.seg", partition_prefix(topic, partition), first_offset);
}

std::string backup_layout::segment_v1(std::string_view topic, std::int32_t partition,
                                      std::int64_t first_offset, std::int64_t last_offset) const {
    if (first_offset < 0 || last_offset < first_offset)
        throw std::invalid_argument(
            fmt::format("bad segment offsets {}-{}", first_offset, last_offset));
    return fmt::format("{}{:020}-{:020}.seg", partition_prefix(topic, partition), first_offset,
                       last_offset);
}

std::string backup_layout::manifests_prefix() const {
    return root_ + "/manifests/";
}

std::string backup_layout::manifest(std::uint64_t sequence) const {
    return fmt::format("{}manifest-{:020}.json", manifests_prefix(), sequence);
}

std::string backup_layout::checkpoints_prefix() const {
    return root_ + "/checkpoints/";
}

std::string backup_layout::checkpoint(std::string_view name) const {
    if (name.empty() || name.find('/') != std::string_view::npos || name.starts_with("."))
        throw std::invalid_argument(fmt::format("invalid checkpoint name '{}'", name));
    return checkpoints_prefix() + std::string(name);
}

std::string backup_layout::lock() const {
    return root_ + "/lock.json";
}

namespace {

// Every '/'-separated component of `rest` is a plain name: not empty, ".", ".."
// and without a backslash.
bool plain_components(std::string_view rest) {
    for (;;) {  // every component, the last one too (empty after a trailing '/')
        auto slash = rest.find('/');
        auto part = rest.substr(0, slash);
        if (part.empty() || part == "." || part == ".." ||
            part.find('\\') != std::string_view::npos)
            return false;
        if (slash == std::string_view::npos) return true;
        rest.remove_prefix(slash + 1);
    }
}

bool plainly_under(std::string_view prefix, std::string_view key) {
    return key.starts_with(prefix) && plain_components(key.substr(prefix.size()));
}

template <class Owns>
void check_keys(const manifest& m, const std::string& backup_id, const std::string& root,
                Owns owns) {
    for (std::size_t t = 0; t < m.topics.size(); ++t) {
        const auto& topic = m.topics[t];
        for (std::size_t p = 0; p < topic.partitions.size(); ++p) {
            const auto& segs = topic.partitions[p].segments;
            for (std::size_t i = 0; i < segs.size(); ++i) {
                if (owns(topic.name, segs[i].key)) continue;
                throw kb::error(
                    error_class::fatal, "InvalidManifest",
                    fmt::format("manifest: topics[{}].partitions[{}].segments[{}].key {} lies "
                                "outside backup '{}' (its segments are under '{}'); the "
                                "manifest was altered: not following it",
                                t, p, i, runtime::echo(segs[i].key), backup_id, root));
            }
        }
    }
}

}  // namespace

bool backup_layout::owns_segment(std::string_view topic, std::string_view key) const {
    return valid_topic_name(topic) && plainly_under(topic_prefix(topic), key);
}

void check_segment_keys(const manifest& m, const backup_layout& layout) {
    check_keys(m, layout.backup_id(), layout.segments_prefix(),
               [&](const std::string& topic, const std::string& key) {
                   return layout.owns_segment(topic, key);
               });
}

void check_oso_segment_keys(const manifest& m, const std::string& backup_id) {
    auto root = backup_id + "/";
    check_keys(m, backup_id, root, [&](const std::string&, const std::string& key) {
        return plainly_under(root, key);
    });
}

std::optional<std::uint64_t> parse_manifest_sequence(std::string_view key) {
    auto name = last_component(key);
    if (name.size() != 9 + 20 + 5 || !name.starts_with("manifest-") || !name.ends_with(".json"))
        return std::nullopt;
    return to_number<std::uint64_t>(name.substr(9, 20));
}

std::optional<segment_key> parse_segment_key(std::string_view key) {
    auto file = last_component(key);
    const bool v1 = file.size() == 20 + 1 + 20 + 4 && file[20] == '-';
    if ((!v1 && file.size() != 20 + 4) || !file.ends_with(".seg")) return std::nullopt;
    auto rest = key.substr(0, key.size() - file.size());
    if (rest.empty() || rest.back() != '/') return std::nullopt;
    rest.remove_suffix(1);
    auto part_str = last_component(rest);
    auto topic_end = rest.size() - part_str.size();
    if (topic_end == 0) return std::nullopt;
    auto topic = last_component(rest.substr(0, topic_end - 1));
    auto partition = to_number<std::int32_t>(part_str);
    auto first = to_number<std::int64_t>(file.substr(0, 20));
    if (!partition || !first || !valid_topic_name(topic)) return std::nullopt;
    segment_key out{std::string(topic), *partition, *first, std::nullopt};
    if (!v1) return out;
    auto last = to_number<std::int64_t>(file.substr(21, 20));
    if (!last) return std::nullopt;
    out.last_offset = *last;
    return out;
}

}  // namespace kb::storage::format
