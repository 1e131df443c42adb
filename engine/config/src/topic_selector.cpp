#include <kb/config/error.hpp>
#include <kb/config/topic_selector.hpp>

#include <regex>

namespace kb::config {
namespace {

// Matches a `[...]` class at pattern[p] against c; advances p past the class.
// Returns false (and leaves p) when the class is not closed: then '[' is literal.
bool match_class(std::string_view pat, std::size_t& p, char c, bool& matched) {
    std::size_t i = p + 1;
    bool negate = i < pat.size() && (pat[i] == '!' || pat[i] == '^');
    if (negate) ++i;
    bool any = false;
    std::size_t first = i;
    for (; i < pat.size() && (pat[i] != ']' || i == first); ++i) {
        if (i + 2 < pat.size() && pat[i + 1] == '-' && pat[i + 2] != ']') {
            any = any || (c >= pat[i] && c <= pat[i + 2]);
            i += 2;
        } else {
            any = any || c == pat[i];
        }
    }
    if (i >= pat.size()) return false;
    matched = any != negate;
    p = i + 1;
    return true;
}

bool is_internal(std::string_view topic) {
    return topic.substr(0, 2) == "__";
}

struct pattern {
    std::string text;
    std::optional<std::regex> re;

    bool matches(std::string_view topic) const {
        if (re) return std::regex_match(topic.begin(), topic.end(), *re);
        return glob_match(text, topic);
    }
};

std::vector<pattern> compile(const std::vector<std::string>& texts, const std::string& key) {
    std::vector<pattern> out;
    for (const auto& t : texts) {
        pattern p{t, std::nullopt};
        if (!t.empty() && t.front() == '~') {
            try {
                p.re.emplace(t.substr(1), std::regex::ECMAScript);
            } catch (const std::regex_error& e) {
                throw config_error(
                    config_errc::invalid_value, key,
                    "invalid regular expression '" + t + "' in '" + key + "': " + e.what(),
                    "patterns starting with '~' are ECMAScript regexes");
            }
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace

bool glob_match(std::string_view pat, std::string_view text) {
    std::size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        bool class_ok = false;
        std::size_t next = p;
        if (p < pat.size() && pat[p] == '*') {
            star_p = p++;
            star_t = t;
            continue;
        }
        if (p < pat.size() && pat[p] == '[' && match_class(pat, next, text[t], class_ok)) {
            if (class_ok) {
                p = next;
                ++t;
                continue;
            }
        } else if (p < pat.size() && (pat[p] == '?' || pat[p] == text[t])) {
            ++p;
            ++t;
            continue;
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p + 1;  // backtrack: let the last '*' swallow one more character
        t = ++star_t;
    }
    while (p < pat.size() && pat[p] == '*') ++p;
    return p == pat.size();
}

bool is_literal_pattern(std::string_view pattern) {
    return !pattern.empty() && pattern.front() != '~' &&
           pattern.find_first_of("*?[") == std::string_view::npos;
}

struct topic_selector::impl {
    std::vector<pattern> include;
    std::vector<pattern> exclude;
    bool include_internal = false;
};

topic_selector::topic_selector() : impl_(std::make_shared<impl>()) {}

topic_selector::topic_selector(const topic_selection& sel, bool include_internal,
                               const std::string& key) {
    auto i = std::make_shared<impl>();
    i->include = compile(sel.include, key + ".include");
    i->exclude = compile(sel.exclude, key + ".exclude");
    i->include_internal = include_internal;
    impl_ = std::move(i);
}

topic_selector::~topic_selector() = default;
topic_selector::topic_selector(const topic_selector&) = default;
topic_selector& topic_selector::operator=(const topic_selector&) = default;

bool topic_selector::matches(std::string_view topic) const {
    bool included = impl_->include.empty();
    bool literal = false;
    for (const auto& p : impl_->include) {
        if (p.matches(topic)) {
            included = true;
            literal = literal || (!p.re && p.text == topic);
        }
    }
    if (!included) return false;
    for (const auto& p : impl_->exclude)
        if (p.matches(topic)) return false;
    return !is_internal(topic) || impl_->include_internal || literal;
}

std::vector<std::string> topic_selector::literal_includes() const {
    std::vector<std::string> out;
    for (const auto& p : impl_->include)
        if (is_literal_pattern(p.text)) out.push_back(p.text);
    return out;
}

std::vector<std::string> topic_selector::filter(const std::vector<std::string>& all) const {
    std::vector<std::string> out;
    for (const auto& t : all)
        if (matches(t)) out.push_back(t);
    return out;
}

}  // namespace kb::config
