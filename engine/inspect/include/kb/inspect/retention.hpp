#pragma once
// OSO kafka-backup 0.25's `backup.retention`, as its backup engine applies it
// after each run (kafka-backup-core src/backup/prune.rs):
//
// - per partition only a prefix of the segments (the oldest) is ever removed,
//   so no hole opens between kept segments;
// - the newest `keep_segments` (at least 1) of each partition always stay;
// - `max_age`: the prefix of segments whose newest record is older than
//   now - max_age goes (OSO ages a segment by its upload time when recorded,
//   else by its newest record; we record no upload time, so the newest record);
// - `max_total_bytes`: then, oldest first across the whole backup, the next
//   segment of a partition's prefix goes until the stored total fits.
//
// plan_retention() is pure and yields an ordinary prune_plan. record_pruned()
// adds what apply_plan() does not record (the range cut off the front of each
// partition) as a retention gap with reason "pruned", so describe shows it and
// validate and restore treat it as deliberate. Applying a plan is the writer's
// job (the backup engine owns its manifest while it runs).

#include <kb/inspect/prune.hpp>

#include <cstdint>
#include <optional>

namespace kb::inspect {

struct retention_rules {
    std::optional<std::int64_t> max_age_ms;
    std::optional<std::uint64_t> max_total_bytes;
    std::uint64_t keep_segments = 1;
};

prune_plan plan_retention(const storage::format::manifest& m, const retention_rules& r,
                          std::int64_t now_ms);

// The manifest after `plan`: apply_plan() plus a "pruned" gap for each
// partition's removed prefix.
storage::format::manifest apply_retention(storage::format::manifest m, const prune_plan& plan);

}  // namespace kb::inspect
