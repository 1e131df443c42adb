#include "checkpoint.hpp"

#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace kb::restore::detail {

using json = nlohmann::ordered_json;

const checkpoint_partition* checkpoint_state::find(const std::string& topic,
                                                   std::int32_t partition) const {
    for (const auto& p : partitions)
        if (p.source_topic == topic && p.source_partition == partition) return &p;
    return nullptr;
}

const checkpoint_target* checkpoint_state::target(const std::string& topic) const {
    for (const auto& t : targets)
        if (t.topic == topic) return &t;
    return nullptr;
}

std::string checkpoint_key(const storage::format::backup_layout& layout, std::string_view id) {
    return fmt::format("{}{}/checkpoint.json", restores_prefix(layout), id);
}

std::string serialize_checkpoint(const checkpoint_state& s) {
    json parts = json::array();
    for (const auto& p : s.partitions)
        parts.push_back({{"source_topic", p.source_topic},
                         {"source_partition", p.source_partition},
                         {"target_topic", p.target_topic},
                         {"target_partition", p.target_partition},
                         {"target_start", p.target_start}});
    json targets = json::array();
    for (const auto& t : s.targets)
        targets.push_back({{"topic", t.topic}, {"topic_id", t.topic_id}, {"ends", t.ends}});
    json j = {{"version", s.version},
              {"restore_id", s.restore_id},
              {"complete", s.complete},
              {"partitions", parts},
              {"targets", targets}};
    return j.dump(2) + "\n";
}

checkpoint_state parse_checkpoint(std::string_view text) {
    try {
        auto j = json::parse(text);
        checkpoint_state s;
        s.restore_id = j.at("restore_id").get<std::string>();
        s.complete = j.at("complete").get<bool>();
        s.version = j.value("version", 1);
        for (const auto& p : j.at("partitions"))
            s.partitions.push_back({p.at("source_topic").get<std::string>(),
                                    p.at("source_partition").get<std::int32_t>(),
                                    p.at("target_topic").get<std::string>(),
                                    p.at("target_partition").get<std::int32_t>(),
                                    p.at("target_start").get<std::int64_t>()});
        if (j.contains("targets"))  // absent in checkpoints of earlier versions
            for (const auto& t : j.at("targets"))
                s.targets.push_back({t.at("topic").get<std::string>(),
                                     t.at("topic_id").get<std::string>(),
                                     t.at("ends").get<std::vector<std::int64_t>>()});
        return s;
    } catch (const json::exception& e) {
        throw kb::error(error_class::fatal, "InvalidCheckpoint",
                        fmt::format("restore checkpoint: {}", e.what()));
    }
}

storage::awaitable<std::optional<checkpoint_state>> load_checkpoint(
    storage::backend& b, storage::format::backup_layout layout, std::string restore_id) {
    runtime::shared_buffer body;
    try {
        auto key = checkpoint_key(layout, restore_id);
        body = co_await b.get(std::move(key));
    } catch (const kb::error& e) {
        if (e.why() != kb::reason::object_missing) throw;  // a missing bucket is not "none yet"
        co_return std::nullopt;
    }
    co_return parse_checkpoint(body.as_string_view());
}

namespace {

std::string producers_prefix(const storage::format::backup_layout& layout,
                             const std::string& restore_id) {
    return fmt::format("{}{}/producers/", restores_prefix(layout), restore_id);
}

}  // namespace

storage::awaitable<void> register_producer(storage::backend& b,
                                           storage::format::backup_layout layout,
                                           std::string restore_id, std::int64_t producer_id) {
    auto key = fmt::format("{}{}", producers_prefix(layout, restore_id), producer_id);
    co_await b.put(std::move(key),
                   runtime::shared_buffer::copy_of(fmt::format("{}\n", producer_id)));
}

storage::awaitable<std::vector<std::int64_t>> registered_producers(
    storage::backend& b, storage::format::backup_layout layout, std::string restore_id) {
    auto prefix = producers_prefix(layout, restore_id);
    auto objects = co_await storage::list_all(b, prefix);
    std::vector<std::int64_t> ids;
    for (const auto& o : objects) {
        try {
            ids.push_back(std::stoll(o.key.substr(prefix.size())));
        } catch (const std::exception&) {
            // not one of ours: ignore
        }
    }
    co_return ids;
}

storage::awaitable<void> save_checkpoint(storage::backend& b, storage::format::backup_layout layout,
                                         checkpoint_state s) {
    auto key = checkpoint_key(layout, s.restore_id);
    auto body = runtime::shared_buffer::copy_of(serialize_checkpoint(s));
    co_await b.put(std::move(key), std::move(body));
}

}  // namespace kb::restore::detail
