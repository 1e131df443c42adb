// pack_frame: one frame compressed anywhere (see segment_writer.hpp).
#include "chunk_sink.hpp"
#include "codec.hpp"

#include <kb/storage/format/segment_writer.hpp>

#include <map>
#include <utility>

namespace kb::storage::format {

namespace {

constexpr std::size_t piece_size = 256 * 1024;

// A codec context per thread, made once: zstd's costs more to build than a frame
// takes to compress. Never shared between threads, so nothing here needs a lock.
detail::frame_compressor& compressor_for(codec c, int level) {
    thread_local std::map<std::pair<codec, int>, std::unique_ptr<detail::frame_compressor>> cache;
    auto& slot = cache[{c, level}];
    if (!slot) slot = detail::make_compressor(c, level);
    return *slot;
}

}  // namespace

packed_frame pack_frame(codec c, int level, raw_frame frame) {
    auto& compressor = compressor_for(c, level);
    detail::chunk_sink sink(piece_size);
    compressor.begin();
    for (const auto& batch : frame.batches) compressor.feed(batch, sink);
    compressor.end(sink);
    sink.flush();
    return {sink.take(), frame.info};
}

}  // namespace kb::storage::format
