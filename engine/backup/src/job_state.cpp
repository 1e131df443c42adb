// Shared job state: segment sizing against the budget, failure and placement.
#include "job_state.hpp"

#include "coordinator.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <algorithm>

namespace kb::backup {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

// Small segments (see segment_sizing): buffered for S3, the segment, its slack,
// its copy as one PUT body, three fetch responses and 2 MiB for the codec;
// streamed to disk, the three fetch responses and the same 6 MiB as a full one.
void size_small_segments(segment_sizing& z, std::uint64_t budget) {
    z.small_segment_bytes = std::min<std::uint64_t>(z.segment_max_bytes, mib);
    z.small_fetch_bytes = std::min<std::int32_t>(z.fetch_max_bytes, 512 * 1024);
    const std::uint64_t fetches = 3ull * std::uint64_t(z.small_fetch_bytes);
    const std::uint64_t seg = z.small_segment_bytes + z.small_segment_bytes / 64;
    const std::uint64_t cap = std::max<std::uint64_t>(budget, 1);
    z.small_reservation = static_cast<std::size_t>(std::min<std::uint64_t>(
        std::min<std::uint64_t>(seg + z.small_segment_bytes + fetches + 2 * mib, cap),
        z.reservation));
    z.small_staged_reservation = static_cast<std::size_t>(std::min<std::uint64_t>(
        std::min<std::uint64_t>(fetches + 6 * mib, cap), z.staged_reservation));
}

}  // namespace

// One open segment holds at most segment_max_bytes of batches plus the one batch
// that crosses the limit, its compressed form, the fetch responses feeding it and
// the multipart window. Sizes shrink so that at least two segments fit the budget
// (one uploading while another fills); a tiny budget still completes, slower.
segment_sizing size_segments(const backup_settings& s) {
    segment_sizing z;
    z.fetch_max_bytes = std::max<std::int32_t>(s.fetch_max_bytes, 1 << 20);
    z.part_size = std::max<std::size_t>(s.part_size, 5 * mib);
    z.parts_in_flight = std::max(1, s.parts_in_flight);
    z.segment_max_bytes = std::max<std::uint64_t>(s.options.segment_max_bytes, 1);
    const std::uint64_t half = s.memory_budget / 2;
    auto fixed = [&] {
        return 3ull * std::uint64_t(z.fetch_max_bytes) +
               std::uint64_t(z.part_size) * std::uint64_t(z.parts_in_flight + 1) + 2 * mib;
    };
    while (fixed() + mib > half && z.parts_in_flight > 1) --z.parts_in_flight;
    while (fixed() + mib > half && z.fetch_max_bytes > (1 << 20)) z.fetch_max_bytes /= 2;
    // Compressed output can exceed the input by a little (incompressible data).
    auto with_slack = [](std::uint64_t bytes) { return bytes + bytes / 64; };
    if (fixed() + with_slack(z.segment_max_bytes) > half)
        z.segment_max_bytes = half > fixed() + 2 * mib ? (half - fixed()) / 65 * 64 : mib;
    std::uint64_t seg = with_slack(z.segment_max_bytes);
    z.reservation = static_cast<std::size_t>(
        std::min<std::uint64_t>(seg + fixed(), std::max<std::uint64_t>(s.memory_budget, 1)));
    // Streamed to disk as it fills: three fetch responses (one being fetched, one
    // queued, one being written), the writer's pending chunk, the codec's window
    // and the disk writer's 2 MiB block buffer; no segment bytes and no parts.
    const std::uint64_t staged = 3ull * std::uint64_t(z.fetch_max_bytes) + 6 * mib;
    z.staged_reservation = static_cast<std::size_t>(
        std::min<std::uint64_t>(staged, std::max<std::uint64_t>(s.memory_budget, 1)));
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
