#pragma once
// The group offsets a backup's restores translated (stored with the backup as
// offset mappings), as explicit reset targets: per group, target partition ->
// offset. The newest restore wins where several translated the same partition.

#include <kb/config/storage.hpp>
#include <kb/offsets/reset.hpp>

#include <map>
#include <string>

namespace kb::cli {

using group_targets = std::map<std::string, std::map<kb::offsets::topic_partition, std::int64_t>>;

// Throws kb::error(not_found, "NoOffsetMapping") when the backup has no restore mapping.
group_targets load_mapping_targets(const kb::config::storage_config& storage,
                                   const std::string& backup_id);

}  // namespace kb::cli
