#include "checkpoint.hpp"

#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>

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
    json j = {{"restore_id", s.restore_id}, {"complete", s.complete}, {"partitions", parts}};
    return j.dump(2) + "\n";
}

checkpoint_state parse_checkpoint(std::string_view text) {
    try {
        auto j = json::parse(text);
        checkpoint_state s;
        s.restore_id = j.at("restore_id").get<std::string>();
        s.complete = j.at("complete").get<bool>();
        for (const auto& p : j.at("partitions"))
            s.partitions.push_back({p.at("source_topic").get<std::string>(),
                                    p.at("source_partition").get<std::int32_t>(),
                                    p.at("target_topic").get<std::string>(),
                                    p.at("target_partition").get<std::int32_t>(),
                                    p.at("target_start").get<std::int64_t>()});
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
        if (e.cls() != error_class::not_found) throw;
        co_return std::nullopt;
    }
    co_return parse_checkpoint(body.as_string_view());
}

storage::awaitable<void> save_checkpoint(storage::backend& b, storage::format::backup_layout layout,
                                         checkpoint_state s) {
    auto key = checkpoint_key(layout, s.restore_id);
    auto body = runtime::shared_buffer::copy_of(serialize_checkpoint(s));
    co_await b.put(std::move(key), std::move(body));
}

}  // namespace kb::restore::detail
