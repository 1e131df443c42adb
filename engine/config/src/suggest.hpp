#pragma once
// "Did you mean ...?" for misspelt keys and enum values.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::config::detail {

// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible
// typo (distance <= max(2, |word|/3), or one contains the other); else nullopt.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");

}  // namespace kb::config::detail
