// backup.retention: see retention.hpp.
#include "retention.hpp"

#include "coordinator.hpp"

#include <kb/inspect/retention.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

namespace kb::backup {

namespace sf = storage::format;
using boost::asio::awaitable;

std::vector<std::string> cut_for_retention(backup_job::state& st) {
    const auto& policy = st.settings.options.retention;
    if (!policy || !st.coord) return {};
    inspect::retention_rules rules{policy->max_age_ms, policy->max_total_bytes,
                                   policy->keep_segments};
    auto now = sf::now_ms().time_since_epoch().count();
    auto plan = inspect::plan_retention(st.coord->manifest(), rules, now);
    if (plan.remove.empty()) return {};
    auto pruned = inspect::apply_retention(st.coord->manifest(), plan);
    st.coord->manifest() = std::move(pruned);
    kb::log::info("backup",
                  "retention: pruning {} segment(s), {} bytes, of '{}' (keeping {} segment(s), "
                  "{} bytes)",
                  plan.remove.size(), plan.bytes_removed, st.settings.backup_id, plan.segments_kept,
                  plan.bytes_kept);
    std::vector<std::string> keys;
    for (const auto& r : plan.remove) keys.push_back(r.key);
    return keys;
}

awaitable<void> delete_pruned(backup_job::state& st, std::vector<std::string> keys) {
    if (keys.empty()) co_return;
    try {
        const auto n = keys.size();
        co_await st.coordinator_storage->remove_many(std::move(keys));
        st.pruned_segments += n;
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        kb::log::warn("backup",
                      "retention: the pruned segments left the manifest but deleting their "
                      "objects failed: {}; they are unreferenced and harmless",
                      e.what());
    }
}

awaitable<void> apply_retention(backup_job::state& st) {
    std::vector<std::string> keys;
    try {
        keys = cut_for_retention(st);
        if (keys.empty()) co_return;
        co_await st.coord->publish();
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        kb::log::warn("backup", "retention: nothing pruned this time: {}", e.what());
        co_return;
    }
    co_await delete_pruned(st, std::move(keys));
}

}  // namespace kb::backup
