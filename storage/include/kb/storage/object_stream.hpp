#pragma once
// object_stream: writes one object whose key is known when it opens, sending the
// bytes on as they come, and makes it visible whole on finish() (or never).
//
// One path for every backend: where the backend can stage objects (the disk), the
// bytes go to a hidden temp file renamed to the key on finish; elsewhere (S3,
// Azure, GCS) a multipart_writer starts the upload with the first full part and
// keeps at most `max_in_flight` parts in flight. Either way the stream holds at
// most window_bytes() of the caller's bytes, so a segment is never buffered whole.
//
// Threading: lives on the backend's shard, driven by one coroutine at a time.
// Destroying an unfinished stream leaves nothing visible (the temp file is
// removed; the multipart upload is aborted in the background).

#include <kb/storage/backend.hpp>
#include <kb/storage/helpers.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace kb::storage {

class object_stream {
  public:
    virtual ~object_stream() = default;
    virtual awaitable<void> write(shared_buffer bytes) = 0;
    virtual awaitable<void> finish() = 0;
    const std::string& key() const noexcept { return key_; }

  protected:
    explicit object_stream(std::string key) : key_(std::move(key)) {}

  private:
    std::string key_;
};

// The most of the caller's bytes a stream opened with `opts` holds at once: the
// part being gathered and the parts in flight.
std::size_t object_stream_window(const multipart_options& opts);

// True when `b` stages objects (streams go to a temp file, not multipart uploads),
// so a caller can size its memory before a stream opens.
bool stages_objects(backend& b);

// `b` must outlive the stream.
std::unique_ptr<object_stream> open_object_stream(backend& b, std::string key,
                                                  multipart_options opts = {});

}  // namespace kb::storage
