// Consumer group offsets into the manifest: shared by discovery and snapshot-groups.
#include <kb/backup/group_snapshot.hpp>

#include "lease.hpp"

#include <kb/config/topic_selector.hpp>
#include <kb/kafka/client/groups.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <algorithm>

namespace kb::backup {

namespace sf = storage::format;
namespace kc = kafka::client;
using boost::asio::awaitable;

bool group_selected(const std::vector<std::string>& globs, const std::string& group) {
    if (globs.empty()) return true;
    return std::any_of(globs.begin(), globs.end(),
                       [&](const std::string& p) { return config::glob_match(p, group); });
}

awaitable<std::vector<sf::group_snapshot>> capture_group_offsets(kc::cluster& c,
                                                                 std::vector<std::string> globs,
                                                                 std::vector<std::string> topics) {
    std::vector<sf::group_snapshot> out;
    if (topics.empty()) co_return out;
    for (auto& g : co_await kc::list_groups(c)) {
        if (!group_selected(globs, g.group_id)) continue;
        auto offsets = co_await kc::fetch_group_offsets(c, g.group_id, topics);
        sf::group_snapshot snap;
        snap.group_id = g.group_id;
        snap.taken_at = sf::now_ms();
        for (auto& o : offsets)
            if (o.offset >= 0)
                snap.offsets.push_back(
                    {o.topic, o.partition, o.offset, o.leader_epoch, o.metadata.value_or("")});
        if (!snap.offsets.empty()) out.push_back(std::move(snap));
    }
    co_return out;
}

void merge_group_snapshots(sf::manifest& m, std::vector<sf::group_snapshot> fresh) {
    for (auto& snap : fresh) {
        std::erase_if(m.consumer_groups,
                      [&](const sf::group_snapshot& s) { return s.group_id == snap.group_id; });
        m.consumer_groups.push_back(std::move(snap));
    }
}

namespace {

// Captures and publishes while holding the lease; the caller releases it.
awaitable<group_snapshot_result> capture_and_publish(storage::backend& b, kc::cluster& c,
                                                     sf::backup_layout layout,
                                                     std::vector<std::string> globs) {
    sf::manifest_store store(b, layout);
    auto latest = co_await store.read_latest();
    if (!latest)
        throw kb::error(error_class::not_found, "NoSuchBackup",
                        "backup '" + layout.backup_id() + "' has no manifest");
    group_snapshot_result r;
    r.backup_id = layout.backup_id();
    for (const auto& t : latest->value.topics) r.topics.push_back(t.name);
    r.groups = co_await capture_group_offsets(c, std::move(globs), r.topics);
    sf::manifest m = latest->value;
    merge_group_snapshots(m, r.groups);
    m.updated_at = sf::now_ms();
    r.manifest_sequence = co_await store.publish(std::move(m));
    co_return r;
}

}  // namespace

awaitable<group_snapshot_result> snapshot_groups_into_backup(storage::backend& b, kc::cluster& c,
                                                             std::string backup_id,
                                                             std::vector<std::string> globs) {
    sf::backup_layout layout(backup_id);
    auto lease = co_await take_lease(b, layout);
    std::exception_ptr failure;
    group_snapshot_result r;
    try {
        r = co_await capture_and_publish(b, c, layout, std::move(globs));
    } catch (...) {
        failure = std::current_exception();
    }
    try {
        co_await lease.release();
    } catch (const kb::error& e) {
        kb::log::warn("snapshot-groups", "could not release the backup lease: {}", e.what());
    }
    if (failure) std::rethrow_exception(failure);
    co_return r;
}

}  // namespace kb::backup
