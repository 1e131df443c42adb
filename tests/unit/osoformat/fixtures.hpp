#pragma once
// The OSO fixtures (tests/fixtures/oso/<version>) and their expected records.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace kb::test::oso {

inline const std::filesystem::path root = KB_OSO_FIXTURES;
inline const std::filesystem::path v0174 = root / "0.17.4";

// Every backup of every fixture version (a folder of root with backups/): (version
// folder, backup id), sorted. Each is a backup of the same 70 records.
inline std::vector<std::pair<std::filesystem::path, std::string>> all_backups() {
    std::vector<std::pair<std::filesystem::path, std::string>> out;
    for (auto& v : std::filesystem::directory_iterator(root))
        if (std::filesystem::is_directory(v.path() / "backups"))
            for (auto& b : std::filesystem::directory_iterator(v.path() / "backups"))
                out.emplace_back(v.path(), b.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::vector<std::byte> bytes_of(const std::filesystem::path& p) {
    auto s = slurp(p);
    std::vector<std::byte> out(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) out[i] = static_cast<std::byte>(s[i]);
    return out;
}

inline std::string unbase64(const std::string& in) {
    static const std::string abc =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=') break;
        acc = (acc << 6) | static_cast<unsigned>(abc.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

// A record as bytes-in-strings, comparable whichever decoder produced it.
struct plain_record {
    std::int64_t offset = 0;
    std::int64_t timestamp = 0;
    std::optional<std::string> key, value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    bool operator==(const plain_record&) const = default;
};

inline std::optional<std::string> opt64(const nlohmann::json& j) {
    if (j.is_null()) return std::nullopt;
    return unbase64(j.get<std::string>());
}

// expected.jsonl by (topic, partition), in offset order.
inline std::map<std::pair<std::string, int>, std::vector<plain_record>> expected(
    const std::filesystem::path& dir) {
    std::map<std::pair<std::string, int>, std::vector<plain_record>> out;
    std::istringstream lines(slurp(dir / "expected.jsonl"));
    for (std::string line; std::getline(lines, line);) {
        auto j = nlohmann::json::parse(line);
        plain_record r{j["offset"], j["timestamp"], opt64(j["key"]), opt64(j["value"]), {}};
        for (auto& h : j["headers"]) r.headers.emplace_back(h[0], opt64(h[1]));
        out[{j["topic"], j["partition"].get<int>()}].push_back(std::move(r));
    }
    return out;
}

inline std::string str(std::span<const std::byte> b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline std::optional<std::string> str(const std::optional<std::span<const std::byte>>& b) {
    if (!b) return std::nullopt;
    return str(*b);
}

}  // namespace kb::test::oso
