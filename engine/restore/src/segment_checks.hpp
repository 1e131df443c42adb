#pragma once
// Restore does not trust placement: a segment object copied over another, two
// manifest keys swapped, or a manifest entry deleted must stop the restore with
// one line, not put records into the wrong partition or leave a silent gap.
//
// check_segment_identity: the segment's own footer (topic, partition, first and
// last offset, record count) against the manifest entry that led to it; called
// before anything from the segment is produced.
// check_partition_continuity: between consecutive segments of a partition, a gap
// in offsets must be a recorded retention gap or the topic must be compacted.
// check_partition_end: offsets between the last listed segment and the partition's
// end_offset (what the backup committed) must be a recorded gap: a deleted last
// entry, or every entry of a partition deleted, is caught here.
// check_partition_start: offsets between the partition's start_offset (where the
// backup set out to copy from) and its first listed segment must be a recorded gap:
// a deleted first entry is caught here (not checked when start_offset is unknown).
// All throw kb::error(fatal, ...) naming the segment or partition and offsets.

#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <cstdint>
#include <string>

namespace kb::restore::detail {

void check_segment_identity(const storage::format::segment_footer& footer,
                            const storage::format::segment_ref& entry, const std::string& topic,
                            std::int32_t partition);

// Checks the segments of `p` that overlap source offsets [first, last] and the
// gaps between them.
void check_partition_continuity(const storage::format::topic_manifest& t,
                                const storage::format::partition_manifest& p, std::int64_t first,
                                std::int64_t last);

// Checks that `p` has segments up to its end_offset within source offsets [first, last].
void check_partition_end(const storage::format::topic_manifest& t,
                         const storage::format::partition_manifest& p, std::int64_t first,
                         std::int64_t last);

// Checks that `p`'s first segment starts at its start_offset within [first, last].
void check_partition_start(const storage::format::topic_manifest& t,
                           const storage::format::partition_manifest& p, std::int64_t first,
                           std::int64_t last);

}  // namespace kb::restore::detail
