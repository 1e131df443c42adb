#pragma once
// Pieces of validate shared between its files.

#include <kb/inspect/validate.hpp>

namespace kb::inspect {

bool gap_recorded(const storage::format::partition_manifest& p, std::int64_t first,
                  std::int64_t last);

// Streams one segment and appends what is wrong with it to `r.issues`.
awaitable<void> deep_check_segment(storage::backend& b, const storage::format::topic_manifest& t,
                                   const storage::format::partition_manifest& p,
                                   const storage::format::segment_ref& s, validation_result& r);

}  // namespace kb::inspect
