// Filling one segment: fetcher and segmenter joined by a bounded channel.
#include "segment_fill.hpp"
#include "segment_limits.hpp"
#include "segment_packer.hpp"

#include <kb/runtime/together.hpp>

#include <kb/kafka/client/offsets.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/channel.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

namespace kb::backup {

namespace kc = kafka::client;
namespace kp = kafka::protocol;
namespace sf = storage::format;
using boost::asio::awaitable;
using batch_list = std::vector<kp::batch_view>;
using clock = std::chrono::steady_clock;

namespace {

constexpr std::int16_t offset_out_of_range = 1;

struct fetch_progress {
    segment_fill_state fill;  // fill.raw: bytes handed to the segmenter
    int partition_max = 0;
    bool done = false;  // the segment takes no more batches
};

// The partition's log start moved past `next`: record the deleted range as a gap.
awaitable<void> skip_deleted(kc::cluster& c, const partition_task& task, fetch_progress& fp,
                             fill_result& out) {
    std::vector<kc::offset_query> q(1);
    q[0].topic = task.topic;
    q[0].partition = task.partition;
    q[0].spec = kc::offset_spec::earliest();
    auto earliest = (co_await kc::list_offsets(c, q)).at(0).offset;
    if (earliest <= fp.fill.next)
        throw kb::error(error_class::fatal, "OFFSET_OUT_OF_RANGE",
                        fmt::format("{}/{}: offset {} is past the end of the partition "
                                    "(was the topic recreated?)",
                                    task.topic, task.partition, fp.fill.next));
    sf::retention_gap gap{fp.fill.next, earliest - 1, "retention"};
    kb::log::warn("backup", "{}/{}: offsets {}..{} were deleted before they were backed up",
                  task.topic, task.partition, gap.first_offset, gap.last_offset);
    out.gaps.push_back(gap);
    fp.fill.next = earliest;
}

segment_limits limits_of(const backup_job::state& st, const partition_task& task,
                         const segment_size& size) {
    segment_limits l;
    l.max_bytes = size.max_bytes;
    l.max_records = st.settings.options.segment_max_records;
    l.end_offset = task.end_offset;
    return l;
}

void check_format(const partition_task& task, const kp::batch_view& b) {
    if (b.header.magic != 2)
        throw kb::error(
            error_class::fatal, "UNSUPPORTED_RECORD_FORMAT",
            fmt::format("{}/{} offset {}: message format v{} is not supported "
                        "(only v2 record batches, Kafka 0.11+)",
                        task.topic, task.partition, b.header.base_offset, int(b.header.magic)));
}

// The batches of one response that belong in this segment; advances fp.
batch_list take_batches(const segment_limits& limits, const partition_task& task,
                        const kc::fetched_partition& r, fetch_progress& fp) {
    batch_list take;
    for (auto& b : kp::split_batches(r.records)) {
        check_format(task, b);
        auto d = decide(limits, fp.fill, b.header);
        if (d == batch_decision::skip) continue;
        if (d != batch_decision::take) {
            fp.done = true;
            break;
        }
        backup::take(fp.fill, b.header, b.bytes.size());
        take.push_back(std::move(b));
    }
    return take;
}

bool segment_full(backup_job::state& st, const segment_limits& limits, const partition_task& task,
                  const fetch_progress& fp, clock::time_point opened) {
    if (fp.done || st.stopping() || limits_reached(limits, fp.fill)) return true;
    auto interval = std::chrono::milliseconds(st.settings.options.segment_max_interval_ms);
    return !task.end_offset && fp.fill.raw > 0 && clock::now() - opened >= interval;
}

awaitable<kc::fetched_partition> fetch_from(kc::cluster& c, const partition_task& task,
                                            const fetch_progress& fp, std::int32_t max_bytes) {
    std::vector<kc::fetch_partition> parts(1);
    parts[0].topic = task.topic;
    parts[0].partition = task.partition;
    parts[0].offset = fp.fill.next;
    parts[0].max_bytes = fp.partition_max;
    kc::fetch_options opts;
    opts.max_bytes = max_bytes;
    opts.max_wait = std::chrono::milliseconds(task.end_offset ? 100 : 500);
    // read_committed: the broker then lists the aborted transactions of the range
    // (kept in the manifest) and stops at the last stable offset. Every batch up
    // to there comes back as it is, aborted ones and control batches included.
    opts.isolation = kc::isolation_level::read_committed;
    auto got = co_await kc::fetch(c, std::move(parts), std::move(opts));
    co_return std::move(got.at(0));
}

void keep_aborted(const kc::fetched_partition& r, filled_segment& seg) {
    for (auto& a : r.aborted_transactions) {
        bool seen = std::any_of(seg.aborted.begin(), seg.aborted.end(), [&](auto& x) {
            return x.producer_id == a.producer_id && x.first_offset == a.first_offset;
        });
        if (!seen) seg.aborted.push_back(a);
    }
}

// An empty response: true when the fetcher should end this segment.
bool nothing_new(backup_job::state& st, const kc::fetched_partition& r, const partition_task& task,
                 fetch_progress& fp, fill_result& out) {
    if (r.truncated_tail && r.batch_count == 0) {
        if (fp.partition_max >= st.sizing.fetch_max_bytes)
            throw kb::error(
                error_class::fatal, "RECORD_TOO_LARGE",
                fmt::format("{}/{} offset {}: a batch is larger than the fetch limit "
                            "of {} bytes",
                            task.topic, task.partition, fp.fill.next, fp.partition_max));
        fp.partition_max = std::min(fp.partition_max * 2, st.sizing.fetch_max_bytes);
        return false;
    }
    if (task.end_offset) return r.last_stable_offset >= 0 && r.last_stable_offset <= fp.fill.next;
    if (fp.fill.raw == 0) out.caught_up = true;
    return fp.fill.raw == 0;
}

awaitable<void> fetcher(backup_job::state& st, shard_context& ctx, partition_task task,
                        segment_size size, fill_result& out, filled_segment& seg,
                        runtime::bounded_channel<batch_list>& ch) {
    const auto limits = limits_of(st, task, size);
    fetch_progress fp;
    fp.fill.next = task.next_offset;
    fp.partition_max = static_cast<int>(std::min<std::uint64_t>(size.fetch_bytes, size.max_bytes));
    const auto opened = clock::now();
    while (!segment_full(st, limits, task, fp, opened)) {
        auto r = co_await fetch_from(*ctx.kafka, task, fp,
                                     std::max<std::int32_t>(size.fetch_bytes, fp.partition_max));
        if (r.error_code == offset_out_of_range) {
            co_await skip_deleted(*ctx.kafka, task, fp, out);
            continue;
        }
        if (r.error_code) ctx.kafka->check(r.error_code, task.topic);
        st.metrics.fetched(task.topic, r.records.size());
        if (r.high_watermark >= 0)
            st.metrics.lag(task.topic, task.partition, r.high_watermark - fp.fill.next);
        if (r.log_start_offset >= 0) seg.log_start_offset = r.log_start_offset;
        keep_aborted(r, seg);
        auto take = take_batches(limits, task, r, fp);
        if (take.empty()) {
            if (nothing_new(st, r, task, fp, out)) break;
            continue;
        }
        co_await ch.send(std::move(take));
    }
    out.next_offset = fp.fill.next;
    co_await ch.close();
}

sf::batch_meta meta_of(const kp::batch_header& h) {
    sf::batch_meta m;
    m.first_offset = h.base_offset;
    m.last_offset = h.last_offset();
    m.min_timestamp = std::min(h.base_timestamp, h.max_timestamp);
    m.max_timestamp = std::max(h.base_timestamp, h.max_timestamp);
    m.record_count = static_cast<std::uint32_t>(h.record_count);
    return m;
}

// Opens the segment's object, keyed by its first offset, on its first batch.
void open_object(backup_job::state& st, shard_context& ctx, const partition_task& task,
                 filled_segment& seg, std::int64_t first_offset) {
    if (seg.object) return;
    storage::multipart_options mo;
    mo.part_size = st.sizing.part_size;
    mo.max_in_flight = st.sizing.parts_in_flight;
    auto key = st.layout.segment(task.topic, task.partition, first_offset);
    seg.object = storage::open_object_stream(*ctx.storage, std::move(key), mo);
}

// Hands the writer's output on to the object (which waits when its window is full).
awaitable<void> emit(filled_segment& seg, std::vector<runtime::shared_buffer> pieces) {
    for (auto& p : pieces) co_await seg.object->write(std::move(p));
}

// Frames of a partition compressed on every shard (see segment_packer.hpp): two
// per shard out at once, so each shard has the next frame queued when one ends.
packer_offload packer_offload_for(backup_job::state& st, const partition_task& task) {
    packer_offload o;
    if (!st.compress_elsewhere) return o;
    o.pool = st.pool.get();
    o.home_shard = st.shard_of(task.topic, task.partition);
    o.limit = 2 * st.pool->size();
    o.budget = st.budget;
    return o;
}

sf::segment_writer_options writer_options(const backup_job::state& st, const partition_task& task) {
    sf::segment_writer_options o;
    o.topic = task.topic;
    o.partition = task.partition;
    o.compression = segment_codec(st.settings.options.codec);
    // none and snappy have no levels.
    auto codec = st.settings.options.codec;
    bool leveled = codec != config::compression::none && codec != config::compression::snappy;
    o.level = leveled ? st.settings.options.compression_level : 0;
    return o;
}

// Feeds batches to the writer; each add() compresses at most one batch, then the
// shard's other work gets a turn.
awaitable<void> segmenter(backup_job::state& st, shard_context& ctx, const partition_task& task,
                          filled_segment& seg, runtime::bounded_channel<batch_list>& ch,
                          bool& stored) {
    segment_packer w(writer_options(st, task), packer_offload_for(st, task));
    auto ex = co_await boost::asio::this_coro::executor;
    while (auto batches = co_await ch.receive()) {
        for (auto& b : *batches) {
            open_object(st, ctx, task, seg, b.header.base_offset);
            auto out = co_await w.add(b.bytes, meta_of(b.header));
            co_await emit(seg, std::move(out));
            if (st.settings.progress)
                st.settings.progress->add(b.bytes.size(),
                                          static_cast<std::uint64_t>(b.header.record_count));
            co_await boost::asio::post(ex, boost::asio::use_awaitable);
        }
    }
    if (w.batch_count() == 0) co_return;
    auto tail = co_await w.finish();
    co_await emit(seg, std::move(tail));
    seg.summary = w.summary();
    stored = true;
}

}  // namespace

sf::codec segment_codec(config::compression c) {
    switch (c) {
        case config::compression::none:
            return sf::codec::none;
        case config::compression::lz4:
            return sf::codec::lz4;
        case config::compression::gzip:
            return sf::codec::gzip;
        case config::compression::snappy:
            return sf::codec::snappy;
        default:
            return sf::codec::zstd;
    }
}

awaitable<fill_result> fill_segment(backup_job::state& st, shard_context& ctx, partition_task task,
                                    segment_size size) {
    fill_result out;
    out.next_offset = task.next_offset;
    filled_segment seg;
    // One response waits while one is written and the next is fetched: the three
    // fetch responses the reservation counts (job_state.cpp, size_segments).
    runtime::bounded_channel<batch_list> ch(co_await boost::asio::this_coro::executor, 1);
    bool stored = false;
    co_await runtime::together(fetcher(st, ctx, task, size, out, seg, ch),
                               segmenter(st, ctx, task, seg, ch, stored));
    if (stored) out.segment = std::move(seg);
    co_return out;
}

}  // namespace kb::backup
