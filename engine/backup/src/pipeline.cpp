// One partition's loop of segments: reserve, fill, upload, commit.
#include "pipeline.hpp"

#include <kb/runtime/together.hpp>
#include "coordinator.hpp"
#include "segment_fill.hpp"

#include <kb/runtime/channel.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/checksum.hpp>
#include <kb/storage/object_stream.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>

namespace kb::backup {

namespace sf = storage::format;
using boost::asio::awaitable;
using clock = std::chrono::steady_clock;

namespace {

// Finishes the segment's object: it becomes visible whole, or not at all. Its
// bytes went out as the segment filled; what is left is the last part (or, for a
// segment below one part, the one PUT) and the completion.
awaitable<std::string> upload(filled_segment& seg) {
    co_await seg.object->finish();
    auto key = seg.object->key();
    seg.object.reset();
    co_return key;
}

sf::segment_ref ref_of(const filled_segment& seg, std::string key, config::compression codec) {
    auto& s = seg.summary;
    sf::segment_ref r;
    r.key = std::move(key);
    r.first_offset = s.first_offset;
    r.last_offset = s.last_offset;
    r.min_timestamp = s.min_timestamp;
    r.max_timestamp = s.max_timestamp;
    r.record_count = s.record_count;
    r.raw_bytes = s.raw_bytes;
    r.stored_bytes = s.stored_bytes;
    r.checksum = storage::format_crc32c(s.crc32c);
    r.compression = sf::to_string(segment_codec(codec));
    // Kept so restore can tell aborted records without waiting for the ABORT marker.
    for (auto& a : seg.aborted) r.aborted_transactions.push_back({a.producer_id, a.first_offset});
    return r;
}

awaitable<void> store_segment(backup_job::state& st, const partition_task& task, filled_segment seg,
                              std::vector<sf::retention_gap> gaps) {
    const auto t0 = clock::now();
    auto key = co_await upload(seg);
    auto upload_time = clock::now() - t0;
    segment_commit c;
    c.topic = task.topic;
    c.partition = task.partition;
    c.segment = ref_of(seg, key, st.settings.options.codec);
    c.gaps = std::move(gaps);
    c.log_start_offset = seg.log_start_offset;
    c.start_offset = task.start_offset;
    co_await st.pool->run_on_async(0, st.coord->commit(std::move(c)));
    auto& s = seg.summary;
    st.metrics.segment_committed(task.topic, s.record_count, s.raw_bytes, s.stored_bytes,
                                 upload_time);
    kb::log::debug("backup", "{}/{}: segment {}..{} stored ({} records, {} -> {} bytes)",
                   task.topic, task.partition, s.first_offset, s.last_offset, s.record_count,
                   s.raw_bytes, s.stored_bytes);
}

awaitable<void> record_gaps(backup_job::state& st, const partition_task& task,
                            std::vector<sf::retention_gap> gaps) {
    for (auto& g : gaps)
        co_await st.pool->run_on_async(0, st.coord->record_gap(task.topic, task.partition, g));
}

awaitable<void> pause(std::chrono::milliseconds d) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
    co_await t.async_wait(boost::asio::use_awaitable);
}

// A filled segment on its way to storage, with the budget it holds until stored.
struct ready_segment {
    fill_result filled;
    runtime::byte_permit permit;
};
using ready_channel = runtime::bounded_channel<ready_segment>;

// A partition fetching a segment holds one of backup.max_concurrent_partitions
// slots (taken before its memory, so a slot holder never waits on a partition
// that waits for a slot); the count is logged and exported.
struct fetch_slot {
    backup_job::state& st;
    runtime::byte_permit permit;
    fetch_slot(backup_job::state& s, runtime::byte_permit p, const partition_task& task)
        : st(s), permit(std::move(p)) {
        auto n = st.metrics.fetching(+1);
        kb::log::debug("backup", "{}/{}: fetching ({} of at most {} partitions)", task.topic,
                       task.partition, n, st.fetch_slots->capacity());
    }
    ~fetch_slot() { st.metrics.fetching(-1); }
    fetch_slot(const fetch_slot&) = delete;
    fetch_slot& operator=(const fetch_slot&) = delete;
};

awaitable<fill_result> fill_in_slot(backup_job::state& st, shard_context& ctx,
                                    const partition_task& task, runtime::byte_permit& memory,
                                    bool small) {
    fetch_slot slot(st, co_await st.fetch_slots->acquire(1), task);
    const auto size = size_of_segment(st.sizing, small, storage::stages_objects(*ctx.storage));
    memory = co_await st.budget->acquire(size.reservation);
    co_return co_await fill_segment(st, ctx, task, size);
}

// Fills segment after segment. While one is being stored, the next one fills
// (the storer keeps the order), so fetching does not stop during an upload.
awaitable<void> filler(backup_job::state& st, shard_context& ctx, partition_task& task,
                       ready_channel& ready) {
    bool small = true;  // see segment_sizing
    while (!st.stopping()) {
        if (task.end_offset && task.next_offset >= *task.end_offset) break;
        runtime::byte_permit permit;
        auto r = co_await fill_in_slot(st, ctx, task, permit, small);
        small = !r.segment || r.segment->summary.raw_bytes < st.sizing.small_segment_bytes;
        const bool progressed = r.segment.has_value() || !r.gaps.empty();
        const bool caught_up = r.caught_up;
        task.next_offset = r.next_offset;
        if (progressed) {
            ready_segment next{std::move(r), std::move(permit)};  // named: see GCC 12 note
            co_await ready.send(std::move(next));
        }
        permit.release();
        if (!progressed && task.end_offset) break;  // the partition ended below its end offset
        if (caught_up)
            co_await pause(std::chrono::milliseconds(st.settings.options.poll_interval_ms));
    }
    co_await ready.close();
}

// Stores and commits the filled segments in order.
awaitable<void> storer(backup_job::state& st, const partition_task& task, ready_channel& ready) {
    while (auto next = co_await ready.receive()) {
        auto& r = next->filled;
        if (r.segment)
            co_await store_segment(st, task, std::move(*r.segment), std::move(r.gaps));
        else
            co_await record_gaps(st, task, std::move(r.gaps));
    }
}

awaitable<void> segments_loop(backup_job::state& st, shard_context& ctx, partition_task& task) {
    // One segment may wait here while another is stored; each holds its own permit.
    ready_channel ready(co_await boost::asio::this_coro::executor, 1);
    co_await runtime::together(filler(st, ctx, task, ready), storer(st, task, ready));
}

}  // namespace

awaitable<void> run_partition(backup_job::state& st, std::size_t shard, partition_task task) {
    try {
        co_await segments_loop(st, *st.shards.at(shard), task);
        if (task.end_offset && task.next_offset >= *task.end_offset)
            kb::log::debug("backup", "{}/{}: reached end offset {}", task.topic, task.partition,
                           *task.end_offset);
    } catch (...) {
        auto e = std::current_exception();
        if (!kb::is_cancellation(e)) st.metrics.error(task.topic);
        st.fail(e);
    }
}

}  // namespace kb::backup
