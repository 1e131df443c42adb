// Restore offset mappings as reset targets (offset-reset-bulk).
#include "mapping_targets.hpp"

#include <kb/connect/storage.hpp>
#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/run_blocking.hpp>

#include <algorithm>

namespace kb::cli {

group_targets load_mapping_targets(const kb::config::storage_config& storage,
                                   const std::string& backup_id) {
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), storage);
    auto mappings = kb::runtime::run_blocking(io, kb::restore::read_offset_mappings(*b, backup_id));
    if (mappings.empty())
        throw kb::error(error_class::not_found, "NoOffsetMapping",
                        "no offset mapping found for backup '" + backup_id +
                            "' (run a restore with reset_consumer_offsets first)");
    std::sort(mappings.begin(), mappings.end(),
              [](const auto& x, const auto& y) { return x.created_at < y.created_at; });
    group_targets out;
    for (const auto& m : mappings)
        for (const auto& g : m.groups)
            out[g.group][{g.target_topic, g.target_partition}] = g.target_offset;
    return out;
}

}  // namespace kb::cli
