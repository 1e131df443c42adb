#pragma once
// A strict walker over one YAML mapping. The schema is the sequence of get()
// calls made on it: every key asked for is valid here, present or not, and
// finish() rejects any other key with the closest valid one as a suggestion.
// Values are environment-expanded before conversion; every error names the
// dotted key path and the file:line it came from.

#include <kb/config/env.hpp>

#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::config::detail {

struct context {
    std::string origin;
    const env_lookup* env = nullptr;
    // Notes for the user about keys that were accepted with a caveat (OSO keys whose
    // effect differs from OSO's); printed by the CLI before it starts work.
    std::vector<std::string>* notes = nullptr;
};

template <class E>
struct enum_entry {
    const char* name;  // the first entry for a value is its canonical spelling
    E value;
};

class reader {
  public:
    reader(YAML::Node map, std::string path, const context& ctx);

    const std::string& path() const noexcept { return path_; }
    const context& ctx() const noexcept { return *ctx_; }
    std::string key_path(std::string_view key) const;

    // Registers `key` as valid here; its node when present and not null.
    std::optional<YAML::Node> take(std::string_view key);
    // A nested mapping; nullopt when absent or null.
    std::optional<reader> section(std::string_view key);

    void get(std::string_view key, std::string& out);
    void get(std::string_view key, std::optional<std::string>& out);
    void get(std::string_view key, bool& out);
    void get(std::string_view key, std::optional<bool>& out);
    void get(std::string_view key, std::vector<std::string>& out);
    template <class T>
    void get_int(std::string_view key, T& out);
    template <class T>
    void get_int(std::string_view key, std::optional<T>& out);
    void get_size(std::string_view key, std::uint64_t& out);  // 134217728 or "128MiB"
    void get_size(std::string_view key, std::optional<std::uint64_t>& out);
    void get_timestamp(std::string_view key, std::optional<std::int64_t>& out);
    template <class E, std::size_t N>
    void get_enum(std::string_view key, E& out, const std::array<enum_entry<E>, N>& table);

    // `alias` is another spelling of `primary` (OSO's docs use some names its code
    // does not): its value moves to `primary`; both given is an error.
    void alias(std::string_view alias, std::string_view primary);
    // Adds a note for the user (see context::notes).
    void note(std::string text) const;
    // The value of `key` as it was written, or nullopt (registers the key).
    std::optional<std::string> raw_text(std::string_view key);

    // Rejects keys nobody asked for, and duplicate keys.
    void finish() const;

    // Conversions of a node that is the value of the key at dotted path `key`.
    std::string where(const YAML::Node& n) const;
    std::string text(const YAML::Node& n, const std::string& key) const;
    bool boolean(const YAML::Node& n, const std::string& key) const;
    std::int64_t integer(const YAML::Node& n, const std::string& key, std::int64_t min,
                         std::int64_t max) const;
    std::vector<std::string> strings(const YAML::Node& n, const std::string& key) const;
    std::uint64_t size(const YAML::Node& n, const std::string& key) const;
    reader child(const YAML::Node& n, const std::string& key) const;
    // Entries of a mapping with free-form keys (topic names, partitions).
    struct entry {
        std::string name;
        YAML::Node key;
        YAML::Node value;
    };
    std::vector<entry> entries(const YAML::Node& n, const std::string& key) const;
    [[noreturn]] void wrong_type(const YAML::Node& n, const std::string& key,
                                 std::string_view expected, std::string_view got = {}) const;
    [[noreturn]] void bad_enum(const YAML::Node& n, const std::string& key,
                               const std::string& value,
                               const std::vector<std::string>& valid) const;

  private:
    YAML::Node node_;
    std::string path_;
    const context* ctx_;
    std::vector<std::string> known_;
};

// The range of T that fits in int64 (uint64 values above INT64_MAX are not
// meaningful for any key we have).
template <class T>
constexpr std::int64_t min_of() {
    return static_cast<std::int64_t>(std::numeric_limits<T>::min());
}
template <class T>
constexpr std::int64_t max_of() {
    constexpr auto m = std::numeric_limits<T>::max();
    constexpr auto cap = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::uint64_t>(m) > cap ? std::numeric_limits<std::int64_t>::max()
                                               : static_cast<std::int64_t>(m);
}

template <class T>
void reader::get_int(std::string_view key, T& out) {
    if (auto n = take(key))
        out = static_cast<T>(integer(*n, key_path(key), min_of<T>(), max_of<T>()));
}

template <class T>
void reader::get_int(std::string_view key, std::optional<T>& out) {
    if (auto n = take(key))
        out = static_cast<T>(integer(*n, key_path(key), min_of<T>(), max_of<T>()));
}

std::string normalise_enum(std::string_view s);

// The value spelt `text` in `table`, or nullopt; `valid` gets the canonical
// spellings for the message.
template <class E, std::size_t N>
std::optional<E> match_enum(std::string_view text, const std::array<enum_entry<E>, N>& table,
                            std::vector<std::string>& valid) {
    std::optional<E> found;
    for (const auto& e : table) {
        if (!found && normalise_enum(e.name) == normalise_enum(text)) found = e.value;
        bool first = true;
        for (const auto& earlier : table) {
            if (&earlier == &e) break;
            first = first && !(earlier.value == e.value);
        }
        if (first) valid.push_back(e.name);
    }
    return found;
}

template <class E, std::size_t N>
void reader::get_enum(std::string_view key, E& out, const std::array<enum_entry<E>, N>& table) {
    auto n = take(key);
    if (!n) return;
    std::string value = text(*n, key_path(key));
    std::vector<std::string> valid;
    if (auto v = match_enum(value, table, valid)) {
        out = *v;
        return;
    }
    bad_enum(*n, key_path(key), value, valid);
}

}  // namespace kb::config::detail
