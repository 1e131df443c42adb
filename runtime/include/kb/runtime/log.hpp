#pragma once
// Minimal leveled logging to stderr. Loggers are named so a line says which
// component wrote it: `kb::log::info("backup", "topic {} done", t)`.
// Thread-safe: each line is written with one call.

#include <fmt/core.h>

#include <string_view>

namespace kb::log {

enum class level { debug = 0, info, warn, error, off };

void set_level(level l);
level current_level();
bool parse_level(std::string_view text, level& out);
void write(level l, std::string_view logger, std::string_view message);

template <class... A>
void debug(std::string_view logger, fmt::format_string<A...> f, A&&... a) {
    if (current_level() <= level::debug) write(level::debug, logger, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void info(std::string_view logger, fmt::format_string<A...> f, A&&... a) {
    if (current_level() <= level::info) write(level::info, logger, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void warn(std::string_view logger, fmt::format_string<A...> f, A&&... a) {
    if (current_level() <= level::warn) write(level::warn, logger, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void error(std::string_view logger, fmt::format_string<A...> f, A&&... a) {
    if (current_level() <= level::error) write(level::error, logger, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace kb::log
