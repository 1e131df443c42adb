// Restore offset mappings as reset targets (offset-reset-bulk).
#include "mapping_targets.hpp"

#include "storage_location.hpp"

#include <kb/inspect/run.hpp>
#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/open.hpp>

#include <algorithm>

namespace kb::cli {

namespace {

using boost::asio::awaitable;

awaitable<std::vector<kb::restore::offset_mapping>> read_mappings(kb::storage::backend& b,
                                                                  std::string id) {
    kb::storage::format::backup_layout layout(id);
    std::vector<kb::restore::offset_mapping> out;
    for (const auto& rid : co_await kb::restore::list_offset_mappings(b, layout))
        if (auto m = co_await kb::restore::read_offset_mapping(b, layout, rid))
            out.push_back(std::move(*m));
    co_return out;
}

}  // namespace

group_targets load_mapping_targets(const kb::config::storage_config& storage,
                                   const std::string& backup_id) {
    boost::asio::io_context io;
    auto b = kb::storage::open_backend(io.get_executor(), to_location(storage));
    auto mappings = kb::inspect::run_blocking(io, read_mappings(*b, backup_id));
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
