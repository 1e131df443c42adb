#pragma once
// Points in time as the config and flags write them: epoch milliseconds
// ("1736899200000") or RFC 3339 ("2025-01-15T00:00:00Z",
// "2025-01-15T02:00:00.250+02:00"), or a bare date ("2025-01-15", midnight UTC).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::config {

// Epoch milliseconds, or nullopt when `text` is neither form.
std::optional<std::int64_t> try_parse_timestamp_ms(std::string_view text);

// As above, but throws std::invalid_argument naming the text and the accepted forms.
std::int64_t parse_timestamp_ms(std::string_view text);

// "2025-01-15T00:00:00.000Z" (UTC, millisecond precision).
std::string format_rfc3339_ms(std::int64_t epoch_ms);

}  // namespace kb::config
