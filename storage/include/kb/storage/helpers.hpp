#pragma once
// Helpers every user of a storage backend needs: full listings, streaming
// multipart uploads with a bounded window, and ranged reads with read-ahead.
//
// Neither helper retries: the backend retries each call under its own budget, so
// a dead endpoint costs one deadline, not a deadline per layer.
//
// Threading: a multipart_writer or ranged_reader lives on one executor (shard),
// the backend's, and is driven by one coroutine at a time. The backend must
// outlive them (it normally lives as long as the shard).

#include <kb/runtime/byte_budget.hpp>
#include <kb/storage/backend.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kb::storage {

inline constexpr std::size_t min_part_size = 5 * 1024 * 1024;
inline constexpr int max_parts = 10'000;

// Every object under `prefix`, following list pages to the end, in key order.
// `b` must outlive the call (the awaiting caller owns it).
awaitable<std::vector<object_info>> list_all(backend& b, std::string prefix);

struct multipart_options {
    std::size_t part_size = 8 * 1024 * 1024;  // >= min_part_size
    int max_in_flight = 4;                    // parts uploading at once
};

// multipart_writer: streams an object of unknown size into storage.
//
// write() appends bytes; every `part_size` bytes become one part, uploaded in the
// background with at most `max_in_flight` parts in flight (write() waits for a free
// slot, which is the backpressure). The caller's buffers are sliced, not copied,
// when a part lies inside one buffer, and held only until that part is
// acknowledged. finish() uploads the rest and completes the upload; an object
// smaller than one part is stored with a single put() instead. Any failure or
// cancellation inside write()/finish() aborts the multipart upload before the
// error propagates, so no orphan upload is left; abort() does the same on demand.
// Destroying an unfinished writer starts a best-effort background abort.
class multipart_writer {
  public:
    multipart_writer(backend& b, std::string key, multipart_options opts = {});
    ~multipart_writer();
    multipart_writer(multipart_writer&&) noexcept;
    multipart_writer& operator=(multipart_writer&&) = delete;

    awaitable<void> write(shared_buffer bytes);
    awaitable<void> finish();
    awaitable<void> abort();

    std::uint64_t bytes_written() const noexcept;
    int parts_uploaded() const noexcept;  // 0 when the object went through put()

    struct state;

  private:
    std::shared_ptr<state> st_;
};

struct ranged_reader_options {
    std::size_t range_size = 8 * 1024 * 1024;
    int read_ahead = 4;  // ranges in flight, including the one the caller waits for
};

// One range of an object, in order. `permit` pays for `bytes` in the budget;
// keep it as long as the bytes are kept.
struct range_chunk {
    std::uint64_t offset = 0;  // within the object
    shared_buffer bytes;
    runtime::byte_permit permit;
};

// ranged_reader: reads [range.offset, range.offset + range.length) of an object
// in `range_size` pieces, keeping up to `read_ahead` GETs in flight and handing
// the pieces out in order. The piece the caller waits for is charged to the budget
// with a waiting acquire; read-ahead pieces only start when the budget has room
// right now, so read-ahead never holds back the next piece. A null budget charges
// nothing. Destroying the reader cancels its in-flight reads.
class ranged_reader {
  public:
    ranged_reader(backend& b, std::string key, byte_range range,
                  std::shared_ptr<runtime::byte_budget> budget, ranged_reader_options opts = {});
    ~ranged_reader();
    ranged_reader(ranged_reader&&) noexcept;
    ranged_reader& operator=(ranged_reader&&) = delete;

    // The next piece, or std::nullopt after the last one.
    awaitable<std::optional<range_chunk>> next();
    int ranges_requested() const noexcept;

    struct state;

  private:
    std::shared_ptr<state> st_;
};

}  // namespace kb::storage
