#include <kb/runtime/echo.hpp>
#include <kb/runtime/units.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace kb::runtime {
namespace {

constexpr std::uint64_t max_value = std::numeric_limits<std::int64_t>::max();

struct number_and_suffix {
    std::string_view number;  // digits, maybe with one '.'
    std::string suffix;       // lower case, leading spaces dropped
};

// Splits "512MiB" into "512" and "mib"; rejects anything that is not number+suffix.
number_and_suffix split(std::string_view text, const char* what) {
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    double probe = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + i, probe);
    bool parsed = ec == std::errc() || ec == std::errc::result_out_of_range;
    if (i == 0 || !parsed || p != text.data() + i)
        throw std::invalid_argument(echo(text) + " is not a " + what);
    std::string suffix(text.substr(i));
    while (!suffix.empty() && suffix.front() == ' ') suffix.erase(0, 1);
    for (auto& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return {text.substr(0, i), suffix};
}

[[noreturn]] void too_large(std::string_view text, const char* unit) {
    throw std::out_of_range(echo(text) + " is too large (at most " + std::to_string(max_value) +
                            " " + unit + ")");
}

// number × mult, exactly for whole numbers, refusing anything above INT64_MAX.
std::uint64_t scale(std::string_view text, std::string_view number, std::uint64_t mult,
                    const char* unit) {
    if (number.find('.') == std::string_view::npos) {
        std::uint64_t n = 0;
        auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
        if (ec != std::errc() || n > max_value / mult) too_large(text, unit);
        return n * mult;
    }
    double v = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec == std::errc::result_out_of_range) {  // overflow, or underflow of 0.000…1
        bool zero_whole = number.find_first_not_of('0') == number.find('.');
        if (!zero_whole) too_large(text, unit);
        return 0;
    }
    double scaled = v * static_cast<double>(mult);
    // 2^63 is the first double above INT64_MAX.
    if (!std::isfinite(scaled) || scaled >= 9223372036854775808.0) too_large(text, unit);
    return static_cast<std::uint64_t>(scaled);
}

std::uint64_t size_multiplier(const std::string& s) {
    if (s.empty() || s == "b") return 1;
    if (s == "k" || s == "kb") return 1000;
    if (s == "m" || s == "mb") return 1000 * 1000;
    if (s == "g" || s == "gb") return 1000ull * 1000 * 1000;
    if (s == "t" || s == "tb") return 1000ull * 1000 * 1000 * 1000;
    if (s == "kib") return 1ull << 10;
    if (s == "mib") return 1ull << 20;
    if (s == "gib") return 1ull << 30;
    if (s == "tib") return 1ull << 40;
    return 0;
}

std::uint64_t duration_multiplier_ms(const std::string& s) {
    if (s == "ms") return 1;
    if (s == "s" || s.empty()) return 1000;
    if (s == "m" || s == "min") return 60'000;
    if (s == "h") return 3'600'000;
    if (s == "d") return 86'400'000;
    if (s == "w") return 7 * 86'400'000ull;
    return 0;
}

}  // namespace

std::uint64_t parse_bytes(std::string_view text) {
    auto [number, suffix] = split(text, "size (examples: 1048576, 512KiB, 64MiB, 1GiB, 10MB)");
    auto mult = size_multiplier(suffix);
    if (mult == 0)
        throw std::invalid_argument(echo(text) + " has an unknown size unit " + echo(suffix));
    return scale(text, number, mult, "bytes");
}

std::chrono::milliseconds parse_duration(std::string_view text) {
    auto [number, suffix] = split(text, "duration (examples: 500ms, 30s, 15m, 12h, 30d, 2w)");
    auto mult = duration_multiplier_ms(suffix);
    if (mult == 0)
        throw std::invalid_argument(echo(text) + " has an unknown duration unit " + echo(suffix));
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(scale(text, number, mult, "milliseconds")));
}

}  // namespace kb::runtime
