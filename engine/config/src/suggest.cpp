#include "suggest.hpp"

#include <algorithm>
#include <limits>

namespace kb::config::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
    // No name is this long; skip the quadratic distance for a pasted blob.
    if (word.size() > 100) return std::nullopt;
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    std::size_t best = std::numeric_limits<std::size_t>::max();
    std::optional<std::string> found;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(word, c);
        // A word that contains a whole key (or is contained in one) is a likely
        // truncation or extension: "bootstrap" for "bootstrap_servers".
        bool contains =
            word.size() >= 4 && c.size() >= 4 &&
            (c.find(word) != std::string::npos || word.find(c) != std::string_view::npos);
        if ((d <= limit || contains) && d < best) {
            best = d;
            found = c;
        }
    }
    return found;
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += sep;
        out += w;
    }
    return out;
}

}  // namespace kb::config::detail
