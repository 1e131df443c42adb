#pragma once
// The one place a segment is opened for reading: restore, its size check and
// `validate --deep` call open_segment() instead of segment_reader::open(), so every
// format this tool reads looks the same to them.
//
// - Our segments (".seg"): segment_reader::open, frame by frame with ranged GETs.
// - OSO kafka-backup segments ("segment-<offset>.bin[.zst|.lz4]"): the whole object
//   is read and checked (magics, version, CRC-32, record frames), then served as
//   frames of up to ~1 MiB of records, each frame one uncompressed Kafka v2 batch
//   built from OSO's records with their offsets, timestamps (CreateTime), keys,
//   values and headers as stored. The decompressed records stay in memory while
//   the reader lives (an OSO segment is at most its segment_max_bytes, 128 MiB by
//   default); a frame's batch is built when it is read.
//
// Coroutine on the backend's executor; the backend must outlive the reader.

#include <kb/storage/backend.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <string>

namespace kb::segments {

using boost::asio::awaitable;

awaitable<storage::format::segment_reader> open_segment(
    storage::backend& b, std::string key, storage::format::segment_read_options opts = {});

// OSO records per frame, in bytes of OSO record frames (a frame holds at least one record).
inline constexpr std::size_t oso_frame_bytes = 1024 * 1024;

}  // namespace kb::segments
