#include <kb/runtime/log.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace kb::log {
namespace {
std::atomic<level> g_level{level::info};

const char* name_of(level l) {
    switch (l) {
        case level::debug:
            return "DEBUG";
        case level::info:
            return "INFO ";
        case level::warn:
            return "WARN ";
        case level::error:
            return "ERROR";
        case level::off:
            return "";
    }
    return "";
}
}  // namespace

void set_level(level l) {
    g_level = l;
}
level current_level() {
    return g_level;
}

bool parse_level(std::string_view text, level& out) {
    if (text == "debug" || text == "trace")
        out = level::debug;
    else if (text == "info")
        out = level::info;
    else if (text == "warn" || text == "warning")
        out = level::warn;
    else if (text == "error")
        out = level::error;
    else if (text == "off")
        out = level::off;
    else
        return false;
    return true;
}

void write(level l, std::string_view logger, std::string_view message) {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto t = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    // One fwrite per line keeps lines from different shards whole.
    std::string line =
        fmt::format("{}.{:03d}Z {} [{}] {}\n", stamp, ms, name_of(l), logger, message);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace kb::log
