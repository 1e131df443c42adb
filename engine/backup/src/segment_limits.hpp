#pragma once
// Where a segment ends, decided batch by batch: by bytes (segment_max_bytes, may
// end one batch past the limit), by records (segment_max_records, never past the
// limit unless one batch alone holds more), and at a snapshot's end offset.
// Pure, so it is unit-tested without a broker (tests/unit/backup).

#include <kb/kafka/protocol/record_batch.hpp>

#include <cstdint>
#include <optional>

namespace kb::backup {

struct segment_limits {
    std::uint64_t max_bytes = 0;
    std::optional<std::uint64_t> max_records;
    std::optional<std::int64_t> end_offset;  // snapshot: nothing at or after it
};

// What the segment holds so far.
struct segment_fill_state {
    std::int64_t next = 0;      // the first offset not yet in the segment
    std::uint64_t raw = 0;      // bytes of the batches taken
    std::uint64_t records = 0;  // records of the batches taken
};

enum class batch_decision {
    take,  // append it to the segment
    skip,  // already backed up (a batch starting before `next`)
    roll,  // the segment is full: this batch starts the next one
    end,   // the snapshot ends before this batch
};

batch_decision decide(const segment_limits& limits, const segment_fill_state& s,
                      const kafka::protocol::batch_header& batch);

// Takes the batch into the state (after decide() said take).
void take(segment_fill_state& s, const kafka::protocol::batch_header& batch, std::uint64_t bytes);

// True when no further batch can join the segment.
bool limits_reached(const segment_limits& limits, const segment_fill_state& s);

}  // namespace kb::backup
