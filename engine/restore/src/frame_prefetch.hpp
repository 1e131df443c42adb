#pragma once
// frame_prefetch: the wanted frames of one segment, in order, read ahead.
//
// Up to `depth` frames are out at once, each one ranged GET on the partition's shard
// followed by its decoding (frame CRC, decompression, batch CRCs): on the shards of
// `decode_pool` in turn when the restore has more shards than partitions, else here.
// The frame the caller waits for is charged with a waiting acquire; a frame read
// ahead only when the budget has room now, so read-ahead never holds back the frame
// needed next (as storage's ranged_reader does). stop() cancels the reads still out
// and waits for them: call it before the backend may go. Lives on the partition's
// shard; one coroutine at a time. Segments served from memory (OSO's) are read one
// frame at a time, as before.

#include <kb/runtime/buffer.hpp>
#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/shard_pool.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace kb::restore::detail {

struct prefetched_frame {
    runtime::shared_buffer raw;  // the frame's batches
    runtime::byte_permit permit;
};

struct prefetch_options {
    int depth = 4;                               // frames out at once, the awaited one included
    runtime::shard_pool* decode_pool = nullptr;  // null: decode on this shard
    std::size_t home_shard = 0;
    // What a frame is charged from its GET on (the caller may shrink it later).
    std::function<std::size_t(const storage::format::frame_info&)> cost;
};

class frame_prefetch {
  public:
    frame_prefetch(storage::backend& b, const storage::format::segment_reader& reader,
                   std::vector<std::size_t> frames, std::shared_ptr<runtime::byte_budget> budget,
                   prefetch_options options);
    ~frame_prefetch();
    frame_prefetch(const frame_prefetch&) = delete;
    frame_prefetch& operator=(const frame_prefetch&) = delete;

    // The next wanted frame, or std::nullopt after the last.
    boost::asio::awaitable<std::optional<prefetched_frame>> next();
    // Cancels the reads still out and waits until they ended.
    boost::asio::awaitable<void> stop();

    struct slot;
    struct link;

  private:
    void issue(runtime::byte_permit permit);
    void fill_ahead();
    boost::asio::awaitable<void> wait();

    storage::backend& backend_;
    const storage::format::segment_reader& reader_;
    std::vector<std::size_t> frames_;
    std::size_t next_ = 0;  // in frames_: the next frame to issue
    std::shared_ptr<runtime::byte_budget> budget_;
    prefetch_options options_;
    std::size_t next_shard_;
    std::optional<boost::asio::steady_timer> wake_;
    std::shared_ptr<link> link_;
    std::deque<std::shared_ptr<slot>> window_;
};

}  // namespace kb::restore::detail
