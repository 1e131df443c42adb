// Which topics a backup selects: source.topics plus backup.internal_topics.
#include "selection.hpp"

#include <algorithm>

namespace kb::backup {

namespace {
bool named_internal(const backup_settings& s, std::string_view topic) {
    const auto& names = s.options.internal_topics;
    return std::find(names.begin(), names.end(), topic) != names.end();
}
}  // namespace

bool selected(const backup_settings& s, std::string_view topic) {
    return s.topics.matches(topic) || named_internal(s, topic);
}

std::vector<std::string> required_topics(const backup_settings& s) {
    auto out = s.literal_topics;
    for (auto& name : s.options.internal_topics)
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    return out;
}

bool lists_internal(const backup_settings& s) {
    return s.include_internal || !s.options.internal_topics.empty();
}

}  // namespace kb::backup
