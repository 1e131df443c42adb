#include <kb/config/time.hpp>
#include <kb/runtime/echo.hpp>

#include <charconv>
#include <chrono>
#include <stdexcept>

namespace kb::config {
namespace {

// Reads exactly `n` digits at `pos`, advancing it.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
}

bool expect(std::string_view s, std::size_t& pos, std::string_view chars) {
    if (pos >= s.size() || chars.find(s[pos]) == std::string_view::npos) return false;
    ++pos;
    return true;
}

std::optional<std::int64_t> parse_epoch_ms(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

// Days since 1970-01-01 for a valid calendar date, else nullopt.
std::optional<std::int64_t> days_of(int y, int m, int d) {
    using namespace std::chrono;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd}.time_since_epoch().count();
}

// Milliseconds of ".123456" (any number of digits, truncated to ms).
bool fraction_ms(std::string_view s, std::size_t& pos, std::int64_t& ms) {
    if (pos >= s.size() || s[pos] != '.') return true;
    ++pos;
    std::size_t start = pos;
    ms = 0;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        ms += scale * (s[pos] - '0');
        scale /= 10;
        ++pos;
    }
    return pos > start;
}

// "Z", "+HH:MM" or "-HH:MM" as minutes east of UTC.
bool offset_minutes(std::string_view s, std::size_t& pos, int& minutes) {
    if (expect(s, pos, "Zz")) {
        minutes = 0;
        return true;
    }
    if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return false;
    int sign = s[pos++] == '-' ? -1 : 1;
    int hh = 0, mm = 0;
    if (!digits(s, pos, 2, hh) || !expect(s, pos, ":") || !digits(s, pos, 2, mm)) return false;
    if (hh > 23 || mm > 59) return false;
    minutes = sign * (hh * 60 + mm);
    return true;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, off = 0;
    if (!digits(s, pos, 4, y) || !expect(s, pos, "-") || !digits(s, pos, 2, mo) ||
        !expect(s, pos, "-") || !digits(s, pos, 2, d))
        return std::nullopt;
    auto days = days_of(y, mo, d);
    if (!days) return std::nullopt;
    if (pos == s.size()) return *days * 86'400'000;  // a bare date: midnight UTC
    std::int64_t ms = 0;
    if (!expect(s, pos, "Tt ") || !digits(s, pos, 2, h) || !expect(s, pos, ":") ||
        !digits(s, pos, 2, mi) || !expect(s, pos, ":") || !digits(s, pos, 2, sec) ||
        !fraction_ms(s, pos, ms) || !offset_minutes(s, pos, off) || pos != s.size())
        return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    std::int64_t seconds = *days * 86'400 + h * 3600 + mi * 60 + sec - off * 60;
    return seconds * 1000 + ms;
}

}  // namespace

std::optional<std::int64_t> try_parse_timestamp_ms(std::string_view text) {
    if (text.empty()) return std::nullopt;
    if (auto ms = parse_epoch_ms(text)) return ms;
    return parse_rfc3339(text);
}

std::int64_t parse_timestamp_ms(std::string_view text) {
    if (auto ms = try_parse_timestamp_ms(text)) return *ms;
    throw std::invalid_argument(runtime::echo(text) +
                                " is not a point in time (write epoch milliseconds such as "
                                "1736899200000, or RFC 3339 such as 2025-01-15T00:00:00Z)");
}

std::string format_rfc3339_ms(std::int64_t epoch_ms) {
    using namespace std::chrono;
    sys_time<milliseconds> t{milliseconds{epoch_ms}};
    auto day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss<milliseconds> hms{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()),
                  int(hms.subseconds().count()));
    return buf;
}

}  // namespace kb::config
