#pragma once
// json_reader: typed, path-tracking access to an untrusted JSON document, so a
// bad manifest is reported as "manifest: topics[1].partition_count: expected
// an integer in 1..2147483647" rather than a bare nlohmann exception.

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace kb::storage::format::detail {

[[noreturn]] inline void manifest_fail(const std::string& path, const std::string& what) {
    throw kb::error(error_class::fatal, "InvalidManifest",
                    fmt::format("manifest: {}: {}", path, what));
}

class json_reader {
  public:
    json_reader(const nlohmann::json& j, std::string path) : j_(j), path_(std::move(path)) {
        if (!j_.is_object())
            manifest_fail(path_.empty() ? "(document)" : path_, "expected an object");
    }

    const std::string& path() const { return path_; }
    std::string field_path(const char* key) const {
        return path_.empty() ? key : path_ + "." + key;
    }
    bool has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }

    const nlohmann::json& at(const char* key) const {
        if (!j_.contains(key)) manifest_fail(field_path(key), "missing");
        return j_.at(key);
    }

    std::string str(const char* key) const {
        auto& v = at(key);
        if (!v.is_string()) manifest_fail(field_path(key), "expected a string");
        return v.get<std::string>();
    }
    std::string str_or(const char* key, std::string def) const { return has(key) ? str(key) : def; }

    template <class T>
    T integer(const char* key, T lo = std::numeric_limits<T>::min(),
              T hi = std::numeric_limits<T>::max()) const {
        auto& v = at(key);
        bool ok = false;
        T out{};
        if (v.is_number_unsigned()) {
            auto u = v.get<std::uint64_t>();
            ok = std::cmp_greater_equal(u, lo) && std::cmp_less_equal(u, hi);
            out = static_cast<T>(u);
        } else if (v.is_number_integer()) {
            auto s = v.get<std::int64_t>();
            ok = std::cmp_greater_equal(s, lo) && std::cmp_less_equal(s, hi);
            out = static_cast<T>(s);
        }
        if (!ok)
            manifest_fail(field_path(key), fmt::format("expected an integer in {}..{}", lo, hi));
        return out;
    }
    template <class T>
    T integer_or(const char* key, T def) const {
        return has(key) ? integer<T>(key) : def;
    }

    json_reader object(const char* key) const { return json_reader(at(key), field_path(key)); }

    // The elements of array `key` (optional arrays read as empty when absent).
    std::vector<std::pair<const nlohmann::json*, std::string>> array(const char* key,
                                                                     bool required = true) const {
        std::vector<std::pair<const nlohmann::json*, std::string>> out;
        if (!required && !has(key)) return out;
        auto& v = at(key);
        if (!v.is_array()) manifest_fail(field_path(key), "expected an array");
        for (std::size_t i = 0; i < v.size(); ++i)
            out.emplace_back(&v[i], fmt::format("{}[{}]", field_path(key), i));
        return out;
    }

  private:
    const nlohmann::json& j_;
    std::string path_;
};

}  // namespace kb::storage::format::detail
