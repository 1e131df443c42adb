#include <kb/storage/format/manifest.hpp>

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace kb::storage::format {

namespace ch = std::chrono;

std::string format_timestamp(timestamp t) {
    auto day = ch::floor<ch::days>(t);
    ch::year_month_day ymd{day};
    ch::hh_mm_ss hms{t - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

namespace {

int number(std::string_view text, std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            throw std::invalid_argument(
                fmt::format("'{}' is not a timestamp like 2024-05-01T12:00:00.000Z", text));
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

}  // namespace

timestamp parse_timestamp(std::string_view text) {
    auto bad = [&] {
        throw std::invalid_argument(
            fmt::format("'{}' is not a timestamp like 2024-05-01T12:00:00.000Z", text));
    };
    if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z')
        bad();
    ch::year_month_day ymd{ch::year{number(text, 0, 4)}, ch::month{unsigned(number(text, 5, 2))},
                           ch::day{unsigned(number(text, 8, 2))}};
    int h = number(text, 11, 2), m = number(text, 14, 2), s = number(text, 17, 2);
    if (!ymd.ok() || h > 23 || m > 59 || s > 59) bad();
    return timestamp{ch::sys_days{ymd}} + ch::hours{h} + ch::minutes{m} + ch::seconds{s} +
           ch::milliseconds{number(text, 20, 3)};
}

timestamp now_ms() {
    return ch::time_point_cast<ch::milliseconds>(ch::system_clock::now());
}

bool valid_backup_id(std::string_view id) {
    if (id.empty() || id.size() > 128 || id == "." || id == "..") return false;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            return false;
    return true;
}

}  // namespace kb::storage::format
