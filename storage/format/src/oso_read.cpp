// Loading a backup's manifest whichever tool wrote it (see oso.hpp).
#include <kb/runtime/error.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/format/oso.hpp>

#include <fmt/format.h>

namespace kb::storage::format {

awaitable<std::optional<manifest>> read_backup_manifest(backend& b, std::string backup_id) {
    manifest_store store(b, backup_layout(backup_id));
    if (auto latest = co_await store.read_latest()) co_return std::move(latest->value);
    auto key = oso_manifest_key(backup_id);
    if (!co_await b.head(key)) co_return std::nullopt;
    auto body = co_await b.get(key);
    if (!looks_like_oso_manifest(body.as_string_view()))
        throw kb::error(error_class::fatal, "InvalidManifest",
                        fmt::format("{}/{}: not a manifest of this tool nor of OSO kafka-backup",
                                    b.describe(), key));
    auto m = parse_oso_manifest(body.as_string_view());
    check_oso_segment_keys(m, backup_id);
    auto groups_key = oso_group_snapshot_key(backup_id);
    if (co_await b.head(groups_key)) {
        auto groups = co_await b.get(groups_key);
        m.consumer_groups = parse_oso_group_snapshot(groups.as_string_view());
    }
    co_return m;
}

}  // namespace kb::storage::format
