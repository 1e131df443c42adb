#pragma once
// OSO kafka-backup segments as a segment_reader over Kafka v2 batches.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/oso.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <string>
#include <vector>

namespace kb::segments {

// Where each frame's records lie in the decompressed records, and what they hold.
// Pure: `max_bytes` of OSO record frames per frame (at least one record), and no
// frame spans more offsets than a batch's int32 offset delta can say.
std::vector<storage::format::frame_info> plan_oso_frames(const storage::format::oso_segment& seg,
                                                         const std::string& name,
                                                         std::size_t max_bytes);

// One frame's records as one uncompressed v2 batch (CreateTime, no producer).
std::vector<std::byte> oso_frame_batch(const storage::format::oso_segment& seg,
                                       const storage::format::frame_info& f,
                                       const std::string& name);

boost::asio::awaitable<storage::format::segment_reader> open_oso_segment(
    storage::backend& b, std::string key, storage::format::segment_read_options opts);

}  // namespace kb::segments
