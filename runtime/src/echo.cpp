#include <kb/runtime/echo.hpp>

#include <fmt/format.h>

namespace kb::runtime {
namespace {

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

// At most `limit` bytes, backed off to the start of a UTF-8 character.
std::string_view head(std::string_view s, std::size_t limit) {
    if (s.size() <= limit) return s;
    std::size_t n = limit;
    while (n > 0 && is_continuation(static_cast<unsigned char>(s[n]))) --n;
    return s.substr(0, n);
}

void append_escaped(std::string& out, std::string_view s) {
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f)
            out += fmt::format("\\x{:02x}", c);
        else
            out += ch;
    }
}

}  // namespace

std::string echo(std::string_view value, std::size_t limit) {
    auto shown = head(value, limit);
    std::string out = "'";
    append_escaped(out, shown);
    if (shown.size() == value.size()) return out + "'";
    return out + fmt::format("\u2026' ({} bytes)", value.size());
}

bool has_userinfo(std::string_view url) {
    auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return false;
    auto authority = url.substr(scheme + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    return authority.find('@') != std::string_view::npos;
}

}  // namespace kb::runtime
