#include <kb/storage/s3/xml.hpp>

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <sstream>

namespace kb::storage::s3 {
namespace {

[[noreturn]] void malformed(std::string_view what, std::string_view detail) {
    throw kb::error(error_class::fatal, "MalformedXML",
                    fmt::format("S3 sent a malformed {} document: {}", what, detail));
}

pugi::xml_document load(std::string_view xml, std::string_view what) {
    pugi::xml_document doc;
    auto result = doc.load_buffer(xml.data(), xml.size());
    if (!result) malformed(what, result.description());
    return doc;
}

// The root element, checked by name (S3 documents carry a namespace attribute, not a prefix).
pugi::xml_node root(const pugi::xml_document& doc, const char* name, std::string_view what) {
    auto node = doc.child(name);
    if (!node) malformed(what, fmt::format("no <{}> root element", name));
    return node;
}

std::uint64_t to_u64(std::string_view text, std::string_view what) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size())
        malformed(what, fmt::format("'{}' is not a size", text));
    return v;
}

std::string unquote(std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
    return s;
}

object_info parse_contents(pugi::xml_node c, bool url_encoded) {
    object_info info;
    std::string key = c.child_value("Key");
    info.key = url_encoded ? url_decode(key, true) : key;
    info.size = to_u64(c.child_value("Size"), "ListObjectsV2");
    info.etag = unquote(c.child_value("ETag"));
    std::string_view modified = c.child_value("LastModified");
    if (!modified.empty()) info.last_modified = parse_iso8601(modified);
    return info;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string to_string(const pugi::xml_document& doc) {
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw);
    return out.str();
}

}  // namespace

std::optional<error_document> parse_error_document(std::string_view xml) {
    if (xml.empty()) return std::nullopt;
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size())) return std::nullopt;
    auto e = doc.child("Error");
    if (!e) return std::nullopt;
    return error_document{e.child_value("Code"), e.child_value("Message"),
                          e.child_value("Resource"), e.child_value("RequestId")};
}

list_result parse_list_objects_v2(std::string_view xml, bool url_encoded) {
    auto doc = load(xml, "ListObjectsV2");
    auto r = root(doc, "ListBucketResult", "ListObjectsV2");
    list_result out;
    for (auto c : r.children("Contents")) out.objects.push_back(parse_contents(c, url_encoded));
    out.truncated = std::string_view(r.child_value("IsTruncated")) == "true";
    std::string token = r.child_value("NextContinuationToken");
    if (out.truncated) {
        if (token.empty()) malformed("ListObjectsV2", "truncated but no NextContinuationToken");
        out.next_token = std::move(token);
    }
    return out;
}

uploads_result parse_list_multipart_uploads(std::string_view xml, bool url_encoded) {
    constexpr std::string_view what = "ListMultipartUploads";
    auto doc = load(xml, what);
    auto r = root(doc, "ListMultipartUploadsResult", what);
    uploads_result out;
    for (auto u : r.children("Upload")) {
        multipart_upload up;
        std::string key = u.child_value("Key");
        up.key = url_encoded ? url_decode(key, true) : key;
        up.upload_id = u.child_value("UploadId");
        if (up.key.empty() || up.upload_id.empty())
            malformed(what, "an <Upload> without Key or UploadId");
        std::string_view initiated = u.child_value("Initiated");
        if (!initiated.empty()) up.initiated = parse_iso8601(initiated);
        out.uploads.push_back(std::move(up));
    }
    out.truncated = std::string_view(r.child_value("IsTruncated")) == "true";
    if (out.truncated) {
        std::string key_marker = r.child_value("NextKeyMarker");
        out.next_key_marker = url_encoded ? url_decode(key_marker, true) : key_marker;
        out.next_upload_id_marker = r.child_value("NextUploadIdMarker");
        if (out.next_key_marker.empty()) malformed(what, "truncated but no NextKeyMarker");
    }
    return out;
}

std::string parse_upload_id(std::string_view xml) {
    auto doc = load(xml, "InitiateMultipartUpload");
    std::string id = root(doc, "InitiateMultipartUploadResult", "InitiateMultipartUpload")
                         .child_value("UploadId");
    if (id.empty()) malformed("InitiateMultipartUpload", "empty <UploadId>");
    return id;
}

std::vector<delete_failure> parse_delete_result(std::string_view xml) {
    auto doc = load(xml, "DeleteObjects");
    std::vector<delete_failure> out;
    for (auto e : root(doc, "DeleteResult", "DeleteObjects").children("Error"))
        out.push_back({e.child_value("Key"), e.child_value("Code"), e.child_value("Message")});
    return out;
}

std::string complete_multipart_xml(std::vector<completed_part> parts) {
    std::sort(parts.begin(), parts.end(),
              [](const auto& a, const auto& b) { return a.part_number < b.part_number; });
    pugi::xml_document doc;
    auto r = doc.append_child("CompleteMultipartUpload");
    r.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
    for (const auto& p : parts) {
        auto part = r.append_child("Part");
        part.append_child("PartNumber").text() = p.part_number;
        auto etag = fmt::format("\"{}\"", unquote(p.etag));
        part.append_child("ETag").text() = etag.c_str();
    }
    return to_string(doc);
}

std::string delete_objects_xml(const std::vector<std::string>& keys) {
    pugi::xml_document doc;
    auto r = doc.append_child("Delete");
    r.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
    r.append_child("Quiet").text() = "true";
    for (const auto& k : keys) r.append_child("Object").append_child("Key").text() = k.c_str();
    return to_string(doc);
}

std::chrono::system_clock::time_point parse_iso8601(std::string_view text) {
    std::tm tm{};
    std::string s(text);
    const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (end == nullptr) malformed("timestamp", fmt::format("'{}' is not ISO 8601", text));
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::chrono::system_clock::time_point parse_http_date(std::string_view text) {
    std::tm tm{};
    std::string s(text);
    const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
    if (end == nullptr) malformed("timestamp", fmt::format("'{}' is not an HTTP date", text));
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string url_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        int hi = 0, lo = 0;
        if (c == '%' && i + 2 < text.size() && (hi = hex_value(text[i + 1])) >= 0 &&
            (lo = hex_value(text[i + 2])) >= 0) {
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(plus_is_space && c == '+' ? ' ' : c);
        }
    }
    return out;
}

}  // namespace kb::storage::s3
