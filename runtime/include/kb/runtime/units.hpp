#pragma once
// Parsing of the human units used in configs and flags: sizes ("512MiB", "10MB",
// "1048576") and durations ("30d", "12h", "500ms"). Errors name the bad text.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace kb::runtime {

// Throws std::invalid_argument naming the text when it is not a size, and
// std::out_of_range when it is above INT64_MAX bytes (never wraps around).
std::uint64_t parse_bytes(std::string_view text);
// Throws std::invalid_argument naming the text when it is not a duration, and
// std::out_of_range when it is above INT64_MAX milliseconds.
std::chrono::milliseconds parse_duration(std::string_view text);

}  // namespace kb::runtime
