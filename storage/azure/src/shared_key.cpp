#include <kb/storage/azure/shared_key.hpp>

#include <kb/storage/http/digest.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

namespace kb::storage::azure {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Trims the value and folds inner whitespace runs to one space (header unfolding).
std::string folded(std::string_view v) {
    std::string out;
    bool space = false;
    for (char c : v) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

std::string header_value(const signing_input& in, std::string_view name) {
    for (const auto& [n, v] : in.headers)
        if (lower(n) == name) return v;
    return {};
}

// The standard headers in the order the string to sign lists them.
constexpr std::array standard_headers{std::string_view{"content-encoding"},
                                      std::string_view{"content-language"},
                                      std::string_view{"content-length"},
                                      std::string_view{"content-md5"},
                                      std::string_view{"content-type"},
                                      std::string_view{"date"},
                                      std::string_view{"if-modified-since"},
                                      std::string_view{"if-match"},
                                      std::string_view{"if-none-match"},
                                      std::string_view{"if-unmodified-since"},
                                      std::string_view{"range"}};

}  // namespace

std::string canonicalized_resource(std::string_view account, const signing_input& in) {
    std::string out = "/" + std::string(account) + in.encoded_path;
    std::map<std::string, std::vector<std::string>> params;
    for (const auto& [n, v] : in.query) params[lower(n)].push_back(v);
    for (auto& [name, values] : params) {
        std::sort(values.begin(), values.end());
        out += "\n" + name + ":";
        for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + values[i];
    }
    return out;
}

std::string canonicalized_headers(const signing_input& in) {
    std::map<std::string, std::string> ms;
    for (const auto& [n, v] : in.headers) {
        auto name = lower(n);
        if (name.starts_with("x-ms-")) ms[name] = folded(v);
    }
    std::string out;
    for (const auto& [n, v] : ms) out += n + ":" + v + "\n";
    return out;
}

std::string string_to_sign(std::string_view account, const signing_input& in) {
    std::string out = in.method + "\n";
    for (auto name : standard_headers) {
        auto v = header_value(in, name);
        if (name == "content-length" && v == "0") v.clear();
        out += v + "\n";
    }
    return out + canonicalized_headers(in) + canonicalized_resource(account, in);
}

std::string signature(std::span<const std::byte> key, std::string_view to_sign) {
    return http::base64(http::hmac_sha256(key, to_sign));
}

std::string authorization(std::string_view account, std::span<const std::byte> key,
                          const signing_input& in) {
    return "SharedKey " + std::string(account) + ":" + signature(key, string_to_sign(account, in));
}

}  // namespace kb::storage::azure
