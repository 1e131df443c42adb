#include "reader.hpp"

#include "suggest.hpp"

#include <kb/config/error.hpp>
#include <kb/config/time.hpp>
#include <kb/runtime/echo.hpp>
#include <kb/runtime/units.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace kb::config::detail {
namespace {

using runtime::echo;

const char* kind_name(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Scalar:
            return "a scalar";
        case YAML::NodeType::Null:
            return "nothing";
        default:
            return "an undefined value";
    }
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string normalise_enum(std::string_view s) {
    std::string out = lower(s);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

reader::reader(YAML::Node map, std::string path, const context& ctx)
    : node_(std::move(map)), path_(std::move(path)), ctx_(&ctx) {}

std::string reader::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string reader::where(const YAML::Node& n) const {
    auto mark = n.Mark();
    if (mark.is_null() || mark.line < 0) return ctx_->origin;
    return ctx_->origin + ":" + std::to_string(mark.line + 1);
}

std::optional<YAML::Node> reader::take(std::string_view key) {
    known_.emplace_back(key);
    if (!node_.IsMap()) return std::nullopt;
    YAML::Node n = node_[std::string(key)];
    if (!n.IsDefined() || n.IsNull()) return std::nullopt;
    return n;
}

std::optional<reader> reader::section(std::string_view key) {
    auto n = take(key);
    if (!n) return std::nullopt;
    return child(*n, key_path(key));
}

reader reader::child(const YAML::Node& n, const std::string& key) const {
    if (!n.IsMap()) wrong_type(n, key, "a mapping of keys (a section)");
    return reader(n, key, *ctx_);
}

void reader::wrong_type(const YAML::Node& n, const std::string& key, std::string_view expected,
                        std::string_view got) const {
    std::string seen = got.empty() ? kind_name(n) : echo(got);
    throw config_error(
        config_errc::wrong_type, key,
        where(n) + ": key " + echo(key) + " expects " + std::string(expected) + ", got " + seen);
}

void reader::bad_enum(const YAML::Node& n, const std::string& key, const std::string& value,
                      const std::vector<std::string>& valid) const {
    auto guess = closest(value, valid);
    throw config_error(
        config_errc::invalid_value, key,
        where(n) + ": key " + echo(key) + " expects one of " + join(valid) + ", got " + echo(value),
        guess ? "did you mean '" + *guess + "'?" : std::string{});
}

std::string reader::text(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) wrong_type(n, key, "a single value");
    return expand_env(n.Scalar(), *ctx_->env, key, where(n));
}

bool reader::boolean(const YAML::Node& n, const std::string& key) const {
    std::string v = lower(text(n, key));
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
    wrong_type(n, key, "true or false", v);
}

std::int64_t reader::integer(const YAML::Node& n, const std::string& key, std::int64_t min,
                             std::int64_t max) const {
    std::string v = text(n, key);
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    bool whole = p == v.data() + v.size() && !v.empty();
    if (ec == std::errc::result_out_of_range && whole)  // beyond int64: say so, never wrap
        out = v.front() == '-' ? std::numeric_limits<std::int64_t>::min()
                               : std::numeric_limits<std::int64_t>::max();
    else if (ec != std::errc() || !whole)
        wrong_type(n, key, "a whole number", v);
    if (out < min || out > max || ec == std::errc::result_out_of_range)
        throw config_error(config_errc::invalid_value, key,
                           where(n) + ": key " + echo(key) + " is " + echo(v) + ": " +
                               (out < min ? "too small" : "too large") + ", outside " +
                               std::to_string(min) + ".." + std::to_string(max));
    return out;
}

std::uint64_t reader::size(const YAML::Node& n, const std::string& key) const {
    std::string v = text(n, key);
    try {
        return runtime::parse_bytes(v);
    } catch (const std::invalid_argument&) {
        wrong_type(n, key, "a size in bytes (e.g. 134217728, 128MiB, 1GB)", v);
    } catch (const std::out_of_range& e) {
        throw config_error(config_errc::invalid_value, key,
                           where(n) + ": key " + echo(key) + ": " + e.what());
    }
}

std::vector<std::string> reader::strings(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsSequence()) {
        for (std::size_t i = 0; i < n.size(); ++i)
            out.push_back(text(n[i], key + "[" + std::to_string(i) + "]"));
        return out;
    }
    // A single value is a comma-separated list, so `${BROKERS}` can hold several.
    std::string v = text(n, key);
    std::size_t start = 0;
    while (start <= v.size()) {
        auto comma = v.find(',', start);
        std::string item = v.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::vector<reader::entry> reader::entries(const YAML::Node& n, const std::string& key) const {
    if (!n.IsMap()) wrong_type(n, key, "a mapping");
    std::vector<entry> out;
    std::set<std::string> seen;
    for (const auto& kv : n) {
        if (!kv.first.IsScalar()) wrong_type(kv.first, key, "plain keys");
        std::string name = kv.first.Scalar();
        if (!seen.insert(name).second)
            throw config_error(config_errc::syntax, key + "." + name,
                               where(kv.first) + ": duplicate key " + echo(key + "." + name));
        out.push_back({name, kv.first, kv.second});
    }
    return out;
}

void reader::get(std::string_view key, std::string& out) {
    if (auto n = take(key)) out = text(*n, key_path(key));
}
void reader::get(std::string_view key, std::optional<std::string>& out) {
    if (auto n = take(key)) out = text(*n, key_path(key));
}
void reader::get(std::string_view key, bool& out) {
    if (auto n = take(key)) out = boolean(*n, key_path(key));
}
void reader::get(std::string_view key, std::optional<bool>& out) {
    if (auto n = take(key)) out = boolean(*n, key_path(key));
}
void reader::get(std::string_view key, std::vector<std::string>& out) {
    if (auto n = take(key)) out = strings(*n, key_path(key));
}
void reader::get_size(std::string_view key, std::uint64_t& out) {
    if (auto n = take(key)) out = size(*n, key_path(key));
}

void reader::get_size(std::string_view key, std::optional<std::uint64_t>& out) {
    if (auto n = take(key)) out = size(*n, key_path(key));
}

void reader::get_timestamp(std::string_view key, std::optional<std::int64_t>& out) {
    auto n = take(key);
    if (!n) return;
    std::string v = text(*n, key_path(key));
    out = try_parse_timestamp_ms(v);
    if (!out)
        wrong_type(*n, key_path(key),
                   "epoch milliseconds or an RFC 3339 time (e.g. 2025-01-15T10:00:00Z)", v);
}

void reader::alias(std::string_view alias, std::string_view primary) {
    auto given = take(alias);
    if (!given) return;
    if (node_[std::string(primary)].IsDefined() && !node_[std::string(primary)].IsNull())
        throw config_error(config_errc::invalid_value, key_path(alias),
                           where(*given) + ": both '" + key_path(primary) + "' and '" +
                               key_path(alias) + "' are set",
                           "keep one: '" + std::string(alias) + "' is another name for '" +
                               std::string(primary) + "'");
    node_[std::string(primary)] = YAML::Clone(*given);
    node_.remove(std::string(alias));
}

void reader::note(std::string text) const {
    if (ctx_->notes) ctx_->notes->push_back(std::move(text));
}

std::optional<std::string> reader::raw_text(std::string_view key) {
    auto n = take(key);
    if (!n) return std::nullopt;
    return text(*n, key_path(key));
}

void reader::finish() const {
    if (!node_.IsMap()) return;
    std::set<std::string> seen;
    for (const auto& kv : node_) {
        std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "?";
        std::string full = key_path(name);
        if (!seen.insert(name).second)
            throw config_error(config_errc::syntax, full,
                               where(kv.first) + ": duplicate key " + echo(full));
        if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
        auto guess = closest(name, known_);
        std::string scope = path_.empty() ? "at the top level" : "under '" + path_ + "'";
        throw config_error(
            config_errc::unknown_key, full, where(kv.first) + ": unknown key " + echo(full),
            guess ? "did you mean '" + *guess + "'?" : "valid keys " + scope + ": " + join(known_));
    }
}

}  // namespace kb::config::detail
