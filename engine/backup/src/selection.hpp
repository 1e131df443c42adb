#pragma once
// Which topics a backup selects: what `source.topics` selects (internal topics
// only with include_internal_topics or a literal include), plus every topic named
// in backup.internal_topics, whatever the patterns say (naming one is the
// clearest intent there is). Named topics must exist, as literal includes must.

#include <kb/backup/backup.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace kb::backup {

bool selected(const backup_settings& s, std::string_view topic);

// Topics that must exist on the source: literal includes and internal_topics.
std::vector<std::string> required_topics(const backup_settings& s);

// Whether a topic listing must hold the internal topics.
bool lists_internal(const backup_settings& s);

}  // namespace kb::backup
