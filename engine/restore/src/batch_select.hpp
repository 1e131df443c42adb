#pragma once
// Pure per-batch decisions of the restore pipeline (no I/O, unit-tested):
//
// - control_commits reads a control marker (txn_filter.hpp keeps only what a
//   read_committed consumer sees).
// - select_batch decides whether a batch passes through whole (restamped later by
//   the producer), must be re-encoded (a time window or offset range cuts it, or its
//   offsets have compaction holes, which a producer may not send), or is skipped.

#include <kb/kafka/protocol/record_batch.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kb::restore::detail {

namespace proto = kb::kafka::protocol;

// OSO's record headers on restore (its `strip_offset_headers` and
// `include_original_offset_header`, see offset_headers()).
struct header_rules {
    bool strip_tool_headers = false;  // drop OSO's four headers as backed up
    bool add_original = false;        // append x-original-offset/-timestamp, x-source-partition
    std::int32_t source_partition = 0;
    bool active() const { return strip_tool_headers || add_original; }
};

// Applies `rules` to one record; true when its headers changed. Stripping removes
// every header named exactly (case-sensitive) x-original-offset,
// x-original-timestamp, x-source-cluster or x-source-partition; adding appends, after
// the record's own headers, x-original-offset (i64 LE of the source offset),
// x-original-timestamp (i64 LE of the record timestamp) and x-source-partition (i32
// LE), as OSO's inject_offset_headers writes them.
bool apply_header_rules(proto::owned_record& r, const header_rules& rules);

struct selection_rules {
    std::int64_t first_offset = 0;
    std::int64_t last_offset = INT64_MAX;
    std::optional<std::int64_t> time_start, time_end;  // inclusive, epoch ms
    bool force_decode = false;                         // repartitioning: always per record
    header_rules headers;  // active: every chosen record is decoded to edit its headers
};

struct selected_batch {
    enum class kind { pass, reencode, skip } what = kind::skip;
    std::vector<proto::owned_record> records;  // reencode: the chosen records, source offsets
    std::uint64_t dropped = 0;                 // records left out
};

selected_batch select_batch(const proto::batch_view& b, const selection_rules& rules);

// One record batch, encoded from `records` (contiguous offsets from 0), with `codec`.
runtime::shared_buffer encode_records(const std::vector<proto::owned_record>& records,
                                      proto::codec codec);

// The codec a batch of `codec` is produced with: none when the target cannot
// decompress it (zstd before Produce v7), otherwise unchanged.
proto::codec codec_for_target(proto::codec codec, bool zstd_to_none);

// The same records as one or more batches of at most `max_batch_bytes` each (0: no
// limit), in order, each record keeping its timestamp, key, value and headers. Used
// when a batch is larger than the target's max.message.bytes. Throws
// kb::error(fatal, "RecordTooLarge") naming `where` and the record's source offset
// when one record alone does not fit: the target could never accept it.
struct encoded_batch {
    runtime::shared_buffer bytes;
    std::size_t records = 0;  // how many of the input records, in order
};
std::vector<encoded_batch> encode_records_within(const std::vector<proto::owned_record>& records,
                                                 proto::codec codec, std::size_t max_batch_bytes,
                                                 const std::string& where);

// Commit (true) or abort (false) from a control batch; nullopt for unknown markers.
std::optional<bool> control_commits(const proto::batch_view& b);

}  // namespace kb::restore::detail
