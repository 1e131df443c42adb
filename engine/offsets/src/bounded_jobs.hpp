#pragma once
// A bounded set of coroutine jobs: job(i) for each i in [0, count), at most `limit`
// running at once on the caller's executor. Shared by offset-reset (groups in
// flight) and offset-reset-bulk (the same, with retries per group).

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace kb::offsets::detail {

// The job must not be a capturing lambda coroutine: a plain lambda returning a call
// of a free coroutine (parameters by value) keeps every frame's state alive.
// Called with the job's index and the number of jobs running, itself included.
using indexed_job = std::function<boost::asio::awaitable<void>(std::size_t, std::size_t)>;

// Returns when every job has ended, with the most that ran at once; the first
// exception a job threw is rethrown then.
boost::asio::awaitable<std::size_t> run_bounded(std::size_t count, std::uint32_t limit,
                                                indexed_job job);

}  // namespace kb::offsets::detail
