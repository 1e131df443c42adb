#include <kb/storage/gcs/json.hpp>

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace kb::storage::gcs {
namespace {

[[noreturn]] void invalid(std::string_view why) {
    throw kb::error(error_class::fatal, "InvalidResponse",
                    fmt::format("GCS answered with an unexpected document: {}", why));
}

// "2026-12-05T20:44:16.123Z" (fractional seconds optional).
std::chrono::system_clock::time_point parse_rfc3339(const std::string& s) {
    std::tm tm{};
    int ms = 0;
    if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return {};
    if (auto dot = s.find('.'); dot != std::string::npos)
        std::sscanf(s.c_str() + dot + 1, "%3d", &ms);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
}

std::uint64_t size_of(const nlohmann::json& j) {
    auto it = j.find("size");
    if (it == j.end()) return 0;
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    if (!it->is_string()) invalid("an object's size is neither a number nor a string");
    try {
        return std::stoull(it->get<std::string>());
    } catch (const std::exception&) {
        invalid("an object's size is not a number");
    }
}

object_info to_object(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("name") || !j["name"].is_string())
        invalid("an object resource has no name");
    object_info o;
    o.key = j["name"].get<std::string>();
    o.size = size_of(j);
    if (auto e = j.find("etag"); e != j.end() && e->is_string()) o.etag = *e;
    if (auto u = j.find("updated"); u != j.end() && u->is_string())
        o.last_modified = parse_rfc3339(*u);
    return o;
}

nlohmann::json parse(std::string_view json) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) invalid("not a JSON object");
    return j;
}

}  // namespace

object_info parse_object(std::string_view json) {
    return to_object(parse(json));
}

list_page parse_list(std::string_view json) {
    auto j = parse(json);
    list_page page;
    if (auto items = j.find("items"); items != j.end()) {
        if (!items->is_array()) invalid("a listing's items is not an array");
        for (const auto& item : *items) page.objects.push_back(to_object(item));
    }
    if (auto t = j.find("nextPageToken"); t != j.end() && t->is_string() && !t->empty())
        page.next_token = t->get<std::string>();
    return page;
}

}  // namespace kb::storage::gcs
