// snapshot-groups: wiring to the backup engine's group snapshot.
#include "commands.hpp"
#include "exit_codes.hpp"

#include <kb/backup/backup.hpp>
#include <kb/backup/group_snapshot.hpp>
#include <kb/connect/kafka.hpp>
#include <kb/connect/storage.hpp>
#include <kb/runtime/run_blocking.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace kb::cli {
namespace {

std::size_t offset_count(const kb::backup::group_snapshot_result& r) {
    std::size_t n = 0;
    for (const auto& g : r.groups) n += g.offsets.size();
    return n;
}

void print_text(const kb::backup::group_snapshot_result& r) {
    std::cout << "Consumer group snapshot saved in backup '" << r.backup_id
              << "' (manifest version " << r.manifest_sequence << ")\n"
              << "  Topics: " << r.topics.size() << "\n"
              << "  Groups: " << r.groups.size() << "\n"
              << "  Offsets: " << offset_count(r) << "\n";
    for (const auto& g : r.groups)
        std::cout << "  - " << g.group_id << " (" << g.offsets.size() << " partition(s))\n";
}

void print_json(const kb::backup::group_snapshot_result& r) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : r.groups) {
        nlohmann::json offsets = nlohmann::json::object();
        for (const auto& o : g.offsets) offsets[o.topic][std::to_string(o.partition)] = o.offset;
        groups.push_back({{"group_id", g.group_id}, {"offsets", offsets}});
    }
    nlohmann::json j = {{"backup_id", r.backup_id},
                        {"manifest_sequence", r.manifest_sequence},
                        {"topics", r.topics},
                        {"groups", groups}};
    std::cout << j.dump(2) << "\n";
}

}  // namespace

int run_snapshot_groups(const snapshot_groups_request& req) {
    const auto& cfg = req.cfg;
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), *cfg.storage);
    auto r = kb::runtime::run_blocking(
        io, kb::connect::with_client(io.get_executor(), *cfg.source,
                                     kb::connect::client_role::backup, [&](auto& c) {
                                         return kb::backup::snapshot_groups_into_backup(
                                             *b, c, cfg.backup_id, cfg.backup.consumer_groups);
                                     }));
    if (req.format == output_format::json)
        print_json(r);
    else
        print_text(r);
    return exit_code::ok;
}

}  // namespace kb::cli
