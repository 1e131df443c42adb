// Where a segment ends: bytes, records, snapshot end.
#include "segment_limits.hpp"

namespace kb::backup {

namespace {

std::uint64_t record_count(const kafka::protocol::batch_header& b) {
    return b.record_count > 0 ? static_cast<std::uint64_t>(b.record_count) : 0;
}

}  // namespace

batch_decision decide(const segment_limits& limits, const segment_fill_state& s,
                      const kafka::protocol::batch_header& batch) {
    if (limits.end_offset && batch.base_offset >= *limits.end_offset) return batch_decision::end;
    if (batch.last_offset() < s.next) return batch_decision::skip;
    if (s.raw >= limits.max_bytes) return batch_decision::roll;
    // A batch is never split (its CRC covers it whole): it goes into a fresh
    // segment instead, or alone when it holds more records than the limit.
    if (limits.max_records && s.records > 0 &&
        s.records + record_count(batch) > *limits.max_records)
        return batch_decision::roll;
    return batch_decision::take;
}

void take(segment_fill_state& s, const kafka::protocol::batch_header& batch, std::uint64_t bytes) {
    s.raw += bytes;
    s.records += record_count(batch);
    s.next = kafka::protocol::wrapping_add(batch.last_offset(), 1);
}

bool limits_reached(const segment_limits& limits, const segment_fill_state& s) {
    if (limits.end_offset && s.next >= *limits.end_offset) return true;
    if (s.raw >= limits.max_bytes) return true;
    return limits.max_records && s.records >= *limits.max_records;
}

}  // namespace kb::backup
