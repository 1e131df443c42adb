// list and describe.
#include "text_table.hpp"

#include <kb/inspect/catalog.hpp>
#include <kb/inspect/report.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/format/oso.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <set>

namespace kb::inspect {
namespace sf = kb::storage::format;
using nlohmann::json;

backup_summary summarize(const sf::manifest& m) {
    backup_summary s;
    s.backup_id = m.backup_id;
    s.status = m.status == sf::backup_status::complete ? "complete" : "in_progress";
    s.created_at = sf::format_timestamp(m.created_at);
    s.updated_at = sf::format_timestamp(m.updated_at);
    for (const auto& t : m.topics) {
        s.topics.push_back(t.name);
        for (const auto& p : t.partitions)
            for (const auto& seg : p.segments) {
                ++s.segments;
                s.records += seg.record_count;
                s.stored_bytes += seg.stored_bytes;
            }
    }
    return s;
}

namespace {

// Backup ids are the first key component of ".../manifests/manifest-N.json".
std::set<std::string> backup_ids(const std::vector<storage::object_info>& objects) {
    std::set<std::string> ids;
    for (const auto& o : objects) {
        if (auto oso = sf::oso_backup_id_of(o.key)) ids.insert(*oso);  // OSO kafka-backup's
        auto slash = o.key.find('/');
        if (slash == std::string::npos) continue;
        if (o.key.compare(slash, 12, "/manifests/m") != 0) continue;
        if (sf::parse_manifest_sequence(o.key)) ids.insert(o.key.substr(0, slash));
    }
    return ids;
}

}  // namespace

awaitable<std::vector<backup_summary>> list_backups(storage::backend& b) {
    auto objects = co_await storage::list_all(b, "");
    std::vector<backup_summary> out;
    for (const auto& id : backup_ids(objects)) {
        if (!sf::valid_backup_id(id)) continue;
        auto latest = co_await sf::read_backup_manifest(b, id);
        if (latest) out.push_back(summarize(*latest));
    }
    co_return out;
}

awaitable<sf::manifest> load_manifest(storage::backend& b, std::string backup_id) {
    if (!sf::valid_backup_id(backup_id))
        throw kb::error(error_class::fatal, "InvalidBackupId",
                        fmt::format("'{}' is not a valid backup id", backup_id));
    auto latest = co_await sf::read_backup_manifest(b, backup_id);  // ours or OSO's
    if (!latest)
        throw kb::error(error_class::not_found, "NoSuchBackup",
                        fmt::format("no backup '{}' in {}", backup_id, b.describe()));
    co_return std::move(*latest);
}

json to_json(const backup_summary& s) {
    return {{"backup_id", s.backup_id},   {"status", s.status},
            {"created_at", s.created_at}, {"updated_at", s.updated_at},
            {"topics", s.topics},         {"segments", s.segments},
            {"records", s.records},       {"stored_bytes", s.stored_bytes}};
}

json list_json(const std::vector<backup_summary>& all) {
    json arr = json::array();
    for (const auto& s : all) arr.push_back(to_json(s));
    return {{"backups", arr}};
}

namespace {

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

}  // namespace

std::string list_text(const std::vector<backup_summary>& all) {
    if (all.empty()) return "No backups.\n";
    text_table t({"BACKUP", "STATUS", "UPDATED", "TOPICS", "RECORDS", "SIZE (BYTES)"});
    for (const auto& s : all)
        t.add({s.backup_id, s.status, s.updated_at, joined(s.topics, ","),
               std::to_string(s.records), std::to_string(s.stored_bytes)});
    return t.render();
}

std::string list_csv(const std::vector<backup_summary>& all) {
    std::string out =
        "backup_id,status,created_at,updated_at,topics,segments,records,stored_bytes\n";
    for (const auto& s : all)
        out += fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(s.backup_id), s.status,
                           s.created_at, s.updated_at, csv_field(joined(s.topics, ";")), s.segments,
                           s.records, s.stored_bytes);
    return out;
}

}  // namespace kb::inspect
