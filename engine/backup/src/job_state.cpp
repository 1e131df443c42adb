// Shared job state: segment sizing against the budget, failure and placement.
#include "job_state.hpp"

#include "coordinator.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/object_stream.hpp>

#include <algorithm>

namespace kb::backup {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;
// The segment writer's pending output chunk and the codec's window.
constexpr std::uint64_t writer_bytes = 4 * mib;
// What a staged object (disk) holds: its aligned block buffer.
constexpr std::uint64_t staged_window = 2 * mib;

// The one reservation rule of segment_sizing: three fetch responses (one being
// fetched, one queued, one being written), the writer, and the object stream's
// window. A segment smaller than the window never fills it: below one part it goes
// out as one PUT, gathered and then copied into one body, so twice its size.
std::uint64_t segment_reservation(std::uint64_t fetch_bytes, std::uint64_t segment_bytes,
                                  std::uint64_t stream_window) {
    const std::uint64_t with_slack = segment_bytes + segment_bytes / 64;  // incompressible data
    return 3 * fetch_bytes + writer_bytes + std::min(stream_window, 2 * with_slack);
}

std::uint64_t parts_window(const segment_sizing& z) {
    storage::multipart_options o;
    o.part_size = z.part_size;
    o.max_in_flight = z.parts_in_flight;
    return storage::object_stream_window(o);
}

std::size_t capped(std::uint64_t bytes, std::uint64_t cap) {
    return static_cast<std::size_t>(std::min(bytes, std::max<std::uint64_t>(cap, 1)));
}

// Small segments (see segment_sizing): the same rule with the small sizes.
void size_small_segments(segment_sizing& z, std::uint64_t budget) {
    z.small_segment_bytes = std::min<std::uint64_t>(z.segment_max_bytes, mib);
    z.small_fetch_bytes = std::min<std::int32_t>(z.fetch_max_bytes, 512 * 1024);
    const std::uint64_t fetch = std::uint64_t(z.small_fetch_bytes);
    z.small_reservation =
        std::min(capped(segment_reservation(fetch, z.small_segment_bytes, parts_window(z)), budget),
                 z.reservation);
    z.small_staged_reservation =
        std::min(capped(segment_reservation(fetch, z.small_segment_bytes, staged_window), budget),
                 z.staged_reservation);
}

}  // namespace

// Windows shrink until at least two segments fit the budget (one finishing its
// upload while the next fills); a tiny budget still completes, slower. The segment
// size is kept: its bytes stream out as it fills.
segment_sizing size_segments(const backup_settings& s) {
    segment_sizing z;
    z.fetch_max_bytes = std::max<std::int32_t>(s.fetch_max_bytes, 1 << 20);
    z.part_size = std::max<std::size_t>(s.part_size, 5 * mib);
    z.parts_in_flight = std::max(1, s.parts_in_flight);
    z.segment_max_bytes = std::max<std::uint64_t>(s.options.segment_max_bytes, 1);
    const std::uint64_t half = s.memory_budget / 2;
    auto full = [&] {
        return segment_reservation(std::uint64_t(z.fetch_max_bytes), z.segment_max_bytes,
                                   parts_window(z));
    };
    while (full() > half && z.parts_in_flight > 1) --z.parts_in_flight;
    while (full() > half && z.fetch_max_bytes > (1 << 20)) z.fetch_max_bytes /= 2;
    z.reservation = capped(full(), s.memory_budget);
    z.staged_reservation = capped(
        segment_reservation(std::uint64_t(z.fetch_max_bytes), z.segment_max_bytes, staged_window),
        s.memory_budget);
    size_small_segments(z, s.memory_budget);
    return z;
}

segment_size size_of_segment(const segment_sizing& z, bool small, bool staged) {
    segment_size out;
    out.max_bytes = small ? z.small_segment_bytes : z.segment_max_bytes;
    out.fetch_bytes = small ? z.small_fetch_bytes : z.fetch_max_bytes;
    if (staged)
        out.reservation = small ? z.small_staged_reservation : z.staged_reservation;
    else
        out.reservation = small ? z.small_reservation : z.reservation;
    return out;
}

backup_job::state::state(backup_settings s)
    : settings(std::move(s)),
      sizing(size_segments(settings)),
      layout(settings.backup_id),
      budget(
          runtime::byte_budget::make("backup", std::max<std::uint64_t>(settings.memory_budget, 1))),
      fetch_slots(runtime::byte_budget::make(
          "partitions", std::max<std::size_t>(settings.options.max_concurrent_partitions, 1))) {}

void backup_job::state::fail(std::exception_ptr e) {
    {
        std::lock_guard lock(mutex);
        if (!first_error && !kb::is_cancellation(e)) first_error = e;
    }
    stop.store(true);
}

std::size_t backup_job::state::shard_of(const std::string& topic, std::int32_t partition) const {
    return pool->shard_for(topic + "/" + std::to_string(partition));
}

}  // namespace kb::backup
