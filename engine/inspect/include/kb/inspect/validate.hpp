#pragma once
// validate: is a backup whole and intact?
//
// Quick mode checks that every segment the manifest names exists with the size
// the manifest records, and that the manifest's segments of each partition
// follow each other (gaps only where a retention gap is recorded). Deep mode
// also streams every segment: the object's checksum against the manifest, every
// frame's checksum, every Kafka batch's CRC, offsets batch by batch against the
// manifest, and record counts. Each problem names the object and the position
// (frame, byte or offset). Memory stays at one frame / one read range.
//
// Coroutine on the backend's executor; the backend must outlive it.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace kb::inspect {

using boost::asio::awaitable;

struct validation_issue {
    std::string object;  // the segment key (or "manifest")
    std::string topic;
    std::int32_t partition = -1;
    // missing | size_mismatch | checksum_mismatch | corrupt | truncated |
    // offset_gap | offset_overlap | record_count_mismatch | footer_mismatch | unreadable
    std::string kind;
    std::string position;  // "byte 1234", "frame 2", "offset 57"; may be empty
    std::string message;
};

struct validation_result {
    std::string backup_id;
    bool deep = false;
    std::uint64_t segments_checked = 0;
    std::uint64_t bytes_checked = 0;    // deep: bytes streamed
    std::uint64_t batches_checked = 0;  // deep
    std::uint64_t records_checked = 0;  // deep
    std::vector<validation_issue> issues;
    bool ok() const noexcept { return issues.empty(); }
};

// Checks only the manifest's own offset bookkeeping (no I/O): segments of a
// partition in order, with gaps only where recorded.
std::vector<validation_issue> check_continuity(const storage::format::manifest& m);

awaitable<validation_result> validate_backup(storage::backend& b, storage::format::manifest m,
                                             bool deep);

nlohmann::json to_json(const validation_result& r);
std::string to_text(const validation_result& r);

}  // namespace kb::inspect
