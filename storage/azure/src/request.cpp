#include <kb/storage/azure/request.hpp>

#include <kb/storage/http/digest.hpp>

#include <fmt/format.h>

#include <cctype>

namespace kb::storage::azure {

std::string uri_encode(std::string_view text, bool keep_slash) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
            (keep_slash && c == '/'))
            out.push_back(ch);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string encoded_path(const account_url& url, std::string_view container,
                         std::string_view blob) {
    std::string out = url.path + "/" + uri_encode(container, false);
    if (!blob.empty()) out += "/" + uri_encode(blob, true);
    return out;
}

std::string request_target(std::string_view path, const std::vector<name_value>& query,
                           std::string_view sas) {
    std::string out(path);
    char sep = '?';
    for (const auto& [name, value] : query) {
        out += sep + uri_encode(name, false) + "=" + uri_encode(value, false);
        sep = '&';
    }
    if (!sas.empty()) out += sep + std::string(sas);
    return out;
}

std::string block_id(std::string_view upload_id, int block_number) {
    auto raw = fmt::format("{}-{:06d}", upload_id, block_number);
    return http::base64(std::as_bytes(std::span(raw.data(), raw.size())));
}

std::string join_key(std::string_view prefix, std::string_view key) {
    if (prefix.empty()) return std::string(key);
    return std::string(prefix) + "/" + std::string(key);
}

}  // namespace kb::storage::azure
