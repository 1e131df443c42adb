// Evidence reports in storage: where they go, listing and finding them.
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/format/oso.hpp>
#include <kb/storage/helpers.hpp>
#include <kb/validation/evidence.hpp>
#include <kb/validation/signing.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::validation {
using boost::asio::awaitable;
namespace sf = storage::format;

awaitable<checked_backup> load_checked_backup(storage::backend& b, std::string id) {
    auto m = co_await sf::read_backup_manifest(b, id);
    if (!m)
        throw kb::error(error_class::not_found, "NoSuchBackup",
                        "backup '" + id + "' not found in " + b.describe());
    sf::manifest_store store(b, sf::backup_layout(id));
    auto latest = co_await store.read_latest();
    // A named key: GCC 12 destroys a conditional's temporary twice inside co_await.
    std::string key = latest ? latest->key : sf::oso_manifest_key(id);
    auto bytes = co_await b.get(std::move(key));
    co_return checked_backup{std::move(*m), sha256_hex(bytes.as_string_view())};
}

std::string evidence_key(const std::string& prefix, const std::string& report_id,
                         storage::format::timestamp at, const std::string& extension) {
    auto day = std::chrono::floor<std::chrono::days>(at);
    std::chrono::year_month_day ymd{day};
    return fmt::format("{}{}/{:04}/{:02}/{}.{}", prefix, report_id, static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), report_id, extension);
}

awaitable<void> put_text(storage::backend& b, std::string key, std::string text) {
    co_await b.put(std::move(key), runtime::shared_buffer::copy_of(text));
}

awaitable<std::vector<std::string>> list_evidence(storage::backend& b, std::string prefix) {
    std::vector<std::string> keys;
    for (const auto& o : co_await storage::list_all(b, prefix)) keys.push_back(o.key);
    std::sort(keys.begin(), keys.end());
    co_return keys;
}

awaitable<std::string> find_evidence(storage::backend& b, std::string prefix, std::string report_id,
                                     std::string extension) {
    for (const auto& key : co_await list_evidence(b, prefix + report_id + "/"))
        if (key.ends_with("." + extension)) co_return key;
    throw kb::error(error_class::not_found, "NoSuchEvidence",
                    fmt::format("no .{} evidence for report '{}' under {}{}/ in {}", extension,
                                report_id, prefix, report_id, b.describe()));
}

}  // namespace kb::validation
