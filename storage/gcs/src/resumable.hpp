#pragma once
// Resumable upload sessions behind the backend's multipart interface.
//
// A GCS resumable upload takes its bytes in order, in chunks that are multiples
// of 256 KiB except the last. multipart_writer uploads parts concurrently and
// in any order, so each session serialises them: part N waits for its turn
// (part N-1 acknowledged), then sends the held-back remainder of the parts
// before it plus its own bytes, rounded down to 256 KiB; the rest (< 256 KiB)
// is held for the next part or the final chunk, which complete sends with the
// object's total size. A failed part marks the session failed and wakes the
// parts waiting behind it, which then fail too (the writer aborts the upload).
//
// Threading: the backend's executor only; a session is shared by the coroutines
// of its parts, which interleave only at co_await points.

#include <kb/runtime/buffer.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kb::storage::gcs::detail {

struct resumable_session {
    std::string key;               // relative to the backend root, for messages
    std::string target;            // the session URI's request-target
    int next_part = 1;             // the part whose turn it is
    std::uint64_t sent = 0;        // bytes the server has acknowledged
    runtime::shared_buffer carry;  // held back: fewer than 256 KiB
    bool failed = false;
    std::uint64_t wakes = 0;
    std::vector<boost::asio::steady_timer*> waiters;
};

class resumable_sessions {
  public:
    std::shared_ptr<resumable_session> open(std::string key, std::string target);
    // Throws kb::error(not_found, "NoSuchUpload") for an unknown (finished, aborted) id.
    std::shared_ptr<resumable_session> find(const std::string& upload_id) const;
    void close(const std::string& upload_id);

  private:
    std::map<std::string, std::shared_ptr<resumable_session>> by_id_;
};

// Returns when it is `part`'s turn; throws when the session failed meanwhile or
// the wait was cancelled.
boost::asio::awaitable<void> wait_turn(std::shared_ptr<resumable_session> s, int part);
// Hands the turn to the next part (or marks the session failed) and wakes the waiters.
void pass_turn(resumable_session& s);
void fail(resumable_session& s);

// The remainder of `carry` + `part` to send now and to keep (see plan_chunk).
struct chunk_split {
    runtime::shared_buffer send;
    runtime::shared_buffer keep;
};
chunk_split split_chunk(const runtime::shared_buffer& carry, const runtime::shared_buffer& part);

}  // namespace kb::storage::gcs::detail
