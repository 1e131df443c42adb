#pragma once
// Keys of OSO kafka-backup's schema (its 0.17 docs and its 0.25 engine) that we
// know but serve only for some values. A value that matches what kafka-backup
// does is accepted; any other value is refused with one line saying it is not
// supported yet, so no setting is ever dropped silently. docs/migrating-from-oso.md
// lists each key with its status.

#include "reader.hpp"

#include <string_view>
#include <vector>

namespace kb::config::detail {

struct gated_key {
    std::string_view key;
    // Values (compared case-insensitively, '-' and '_' alike) that mean what we do.
    // "{}" accepts an empty mapping or list.
    std::vector<std::string_view> accepted;
    std::string_view why;  // what we do instead, or what is missing
};

// Checks (and registers) each key of `keys` present in `r`.
void check_gated(reader& r, const std::vector<gated_key>& keys);

// The OSO keys of each section that are gated.
const std::vector<gated_key>& gated_backup_keys();
const std::vector<gated_key>& gated_restore_keys();

// OSO's `circuit_breaker:` (backup and restore): validated; kafka-backup's own
// retry deadline governs retries, so the section only earns a note.
void read_circuit_breaker(reader& r);

}  // namespace kb::config::detail
