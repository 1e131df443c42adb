#include <kb/runtime/units.hpp>

#include <cctype>
#include <charconv>
#include <stdexcept>
#include <string>

namespace kb::runtime {
namespace {

// Splits "512MiB" into 512 and "MiB"; rejects anything that is not number+suffix.
std::pair<double, std::string> split(std::string_view text, const char* what) {
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + i, value);
    if (i == 0 || ec != std::errc() || p != text.data() + i)
        throw std::invalid_argument("'" + std::string(text) + "' is not a " + what);
    std::string suffix(text.substr(i));
    while (!suffix.empty() && suffix.front() == ' ') suffix.erase(0, 1);
    for (auto& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return {value, suffix};
}

}  // namespace

std::uint64_t parse_bytes(std::string_view text) {
    auto [v, s] = split(text, "size (examples: 1048576, 512KiB, 64MiB, 1GiB, 10MB)");
    double mult = 0;
    if (s.empty() || s == "b")
        mult = 1;
    else if (s == "k" || s == "kb")
        mult = 1e3;
    else if (s == "m" || s == "mb")
        mult = 1e6;
    else if (s == "g" || s == "gb")
        mult = 1e9;
    else if (s == "t" || s == "tb")
        mult = 1e12;
    else if (s == "kib")
        mult = 1024.0;
    else if (s == "mib")
        mult = 1024.0 * 1024;
    else if (s == "gib")
        mult = 1024.0 * 1024 * 1024;
    else if (s == "tib")
        mult = 1024.0 * 1024 * 1024 * 1024;
    else
        throw std::invalid_argument("'" + std::string(text) + "' has an unknown size unit '" + s +
                                    "'");
    return static_cast<std::uint64_t>(v * mult);
}

std::chrono::milliseconds parse_duration(std::string_view text) {
    auto [v, s] = split(text, "duration (examples: 500ms, 30s, 15m, 12h, 30d, 2w)");
    double ms = 0;
    if (s == "ms")
        ms = v;
    else if (s == "s" || s.empty())
        ms = v * 1e3;
    else if (s == "m" || s == "min")
        ms = v * 60e3;
    else if (s == "h")
        ms = v * 3600e3;
    else if (s == "d")
        ms = v * 86400e3;
    else if (s == "w")
        ms = v * 7 * 86400e3;
    else
        throw std::invalid_argument("'" + std::string(text) + "' has an unknown duration unit '" +
                                    s + "'");
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

}  // namespace kb::runtime
