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

struct selection_rules {
    std::int64_t first_offset = 0;
    std::int64_t last_offset = INT64_MAX;
    std::optional<std::int64_t> time_start, time_end;  // inclusive, epoch ms
    bool force_decode = false;                         // repartitioning: always per record
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
