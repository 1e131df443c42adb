#include <kb/storage/azure/xml.hpp>

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <pugixml.hpp>

#include <charconv>
#include <ctime>
#include <sstream>

namespace kb::storage::azure {
namespace {

[[noreturn]] void malformed(std::string_view what, std::string_view detail) {
    throw kb::error(error_class::fatal, "MalformedXML",
                    fmt::format("Azure sent a malformed {} document: {}", what, detail));
}

std::uint64_t to_u64(std::string_view text) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size())
        malformed("List Blobs", fmt::format("'{}' is not a size", text));
    return v;
}

std::string unquote(std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
    return s;
}

object_info parse_blob(pugi::xml_node b) {
    object_info info;
    info.key = b.child_value("Name");
    auto props = b.child("Properties");
    info.size = to_u64(props.child_value("Content-Length"));
    info.etag = unquote(props.child_value("Etag"));
    std::string_view modified = props.child_value("Last-Modified");
    if (!modified.empty()) info.last_modified = parse_http_date(modified);
    return info;
}

}  // namespace

std::optional<error_document> parse_error_document(std::string_view xml) {
    if (xml.empty()) return std::nullopt;
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size())) return std::nullopt;
    auto e = doc.child("Error");
    if (!e) return std::nullopt;
    return error_document{e.child_value("Code"), e.child_value("Message")};
}

blob_listing parse_blob_listing(std::string_view xml) {
    pugi::xml_document doc;
    auto result = doc.load_buffer(xml.data(), xml.size());
    if (!result) malformed("List Blobs", result.description());
    auto root = doc.child("EnumerationResults");
    if (!root) malformed("List Blobs", "no <EnumerationResults> root element");
    blob_listing out;
    for (auto b : root.child("Blobs").children("Blob")) out.blobs.push_back(parse_blob(b));
    std::string next = root.child_value("NextMarker");
    if (!next.empty()) out.next_marker = std::move(next);
    return out;
}

std::string block_list_xml(const std::vector<std::string>& block_ids) {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "utf-8";
    auto list = doc.append_child("BlockList");
    for (const auto& id : block_ids) list.append_child("Latest").text().set(id.c_str());
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw);
    return out.str();
}

std::chrono::system_clock::time_point parse_http_date(std::string_view text) {
    std::tm tm{};
    std::string s(text);
    if (strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr)
        malformed("timestamp", fmt::format("'{}' is not an HTTP date", text));
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string format_http_date(std::chrono::system_clock::time_point t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char out[40];
    auto n = std::strftime(out, sizeof out, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return std::string(out, n);
}

}  // namespace kb::storage::azure
