// One partition's restore pipeline (see partition_restore.hpp).
#include "partition_restore.hpp"

#include "batch_select.hpp"
#include "frame_prefetch.hpp"
#include "segment_checks.hpp"
#include "txn_filter.hpp"
#include "txn_lookahead.hpp"

#include <kb/restore/partitioner.hpp>
#include <kb/runtime/channel.hpp>
#include <kb/runtime/log.hpp>
#include <kb/runtime/together.hpp>
#include <kb/segments/open_segment.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <span>

namespace kb::restore::detail {

namespace {

namespace sf = storage::format;

// A decoded frame in flight between the reader and the producing side, with the
// permit that pays for it (shared by every batch sliced from it).
struct frame_item {
    runtime::shared_buffer raw;
    std::shared_ptr<runtime::byte_permit> permit;
};
using frame_channel = runtime::bounded_channel<frame_item>;

// The batch and the permit of the frame it came from, kept while a transaction is open.
struct held_batch {
    proto::batch_view batch;
    std::shared_ptr<runtime::byte_permit> permit;
};

bool frame_wanted(const sf::frame_info& f, const partition_task& t,
                  std::optional<std::int64_t> time_start) {
    if (f.last_offset < t.first_offset) return false;
    // Frames wholly before the window hold nothing chosen; a control marker in them
    // only closes transactions whose records were not chosen either.
    return !time_start || f.max_timestamp >= *time_start;
}

// What a frame is charged while it is produced (see read_segment), never more than
// the whole budget (a frame alone that large is then still read, one at a time).
std::size_t frame_cost(std::size_t raw_size, std::size_t capacity) {
    return std::min(2 * raw_size, std::max(raw_size, capacity));
}

boost::asio::awaitable<void> read_segment(shard_context ctx, sf::segment_ref seg,
                                          partition_task task,
                                          std::optional<std::int64_t> time_start,
                                          std::shared_ptr<frame_channel> ch) {
    auto reader = co_await segments::open_segment(*ctx.backend, seg.key);
    check_segment_identity(reader.footer(), seg, task.source_topic, task.source_partition);
    const auto& frames = reader.footer().frames;
    std::vector<std::size_t> wanted;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (frames[i].first_offset > task.last_offset) break;
        if (frame_wanted(frames[i], task, time_start)) wanted.push_back(i);
    }
    // Until its last batch is acknowledged a frame costs its raw bytes plus, per batch
    // in flight, the encoded request (the one copy on the way to the socket): twice
    // its raw size; more while the compressed bytes are still there.
    const auto capacity = ctx.budget->capacity();
    prefetch_options o;
    o.depth = ctx.read_ahead;
    o.decode_pool = ctx.decode_pool;
    o.home_shard = ctx.home_shard;
    o.cost = [capacity](const sf::frame_info& f) {
        return std::min<std::size_t>(
            std::max<std::size_t>(f.stored_size + f.raw_size, frame_cost(f.raw_size, capacity)),
            std::max<std::size_t>(capacity, 1));
    };
    frame_prefetch prefetch(*ctx.backend, reader, std::move(wanted), ctx.budget, std::move(o));
    std::exception_ptr failure;
    try {
        while (auto frame = co_await prefetch.next()) {
            frame->permit.shrink_to(std::min<std::size_t>(frame->permit.size(),
                                                          frame_cost(frame->raw.size(), capacity)));
            frame_item item{frame->raw,
                            std::make_shared<runtime::byte_permit>(std::move(frame->permit))};
            co_await ch->send(std::move(item));
        }
    } catch (...) {
        failure = std::current_exception();
    }
    co_await prefetch.stop();  // no read outlives the reader's backend
    if (failure) std::rethrow_exception(failure);
}

boost::asio::awaitable<std::uint64_t> read_frames(shard_context ctx, partition_task task,
                                                  std::optional<std::int64_t> time_start,
                                                  std::shared_ptr<frame_channel> ch) {
    std::exception_ptr failure;
    std::uint64_t segments = 0;
    try {
        for (const auto& seg : task.segments) {
            co_await read_segment(ctx, seg, task, time_start, ch);
            ++segments;
        }
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure)
        co_await ch->fail(failure);
    else
        co_await ch->close();
    co_return segments;
}

// Runs of consecutive source offsets among records[first, first + count).
std::vector<source_run> runs_of(const std::vector<proto::owned_record>& records, std::size_t first,
                                std::size_t count) {
    std::vector<source_run> runs;
    for (const auto& r : std::span(records).subspan(first, count)) {
        if (!runs.empty() && runs.back().first + runs.back().count == r.offset)
            ++runs.back().count;
        else
            runs.push_back({r.offset, 1});
    }
    return runs;
}

// The producing side of one partition: joins small batches into requests, spreads
// records by key when repartitioning, and records where every run landed.
class partition_sink {
  public:
    partition_sink(shard_context ctx, const partition_task& task, boost::asio::any_io_executor ex)
        : ctx_(ctx),
          task_(task),
          window_(*ctx.producer, ex, ctx.max_in_flight,
                  [this](const produce_done& d) { landed(d); }) {}

    // `permit` pays for the batch's frame: the requests made from the batch keep it
    // until they are acknowledged. Not kept here after that: a frame's permit held
    // while waiting for the next frame could starve the reader of the budget.
    boost::asio::awaitable<void> add(const proto::batch_view& b, selected_batch sel,
                                     std::shared_ptr<runtime::byte_permit> permit) {
        permit_ = std::move(permit);
        co_await add_batch(b, std::move(sel));
        permit_.reset();
    }

    boost::asio::awaitable<void> add_batch(const proto::batch_view& b, selected_batch sel) {
        if (sel.what == selected_batch::kind::skip) co_return;
        if (task_.target_partition < 0) {
            co_await spread(b, std::move(sel));
            co_return;
        }
        const auto codec = codec_for_target(b.header.compression(), task_.zstd_to_none);
        if (sel.what == selected_batch::kind::pass && fits(b.bytes.size()) &&
            codec == b.header.compression()) {
            ++result.passed;
            std::vector<source_run> runs(1,
                                         source_run{b.header.base_offset, b.header.record_count});
            co_await append(b.bytes, std::move(runs),
                            static_cast<std::uint64_t>(b.header.record_count));
            co_return;
        }
        // Re-encoded: cut by the selection, larger than the target accepts, or in a
        // codec it cannot read.
        ++result.reencoded;
        if (sel.what == selected_batch::kind::pass) sel.records = proto::read_records(b);
        auto where = location();
        auto pieces = encode_records_within(sel.records, codec, task_.max_batch_bytes, where);
        std::size_t next = 0;
        for (auto& piece : pieces) {
            auto runs = runs_of(sel.records, next, piece.records);
            next += piece.records;
            co_await append(std::move(piece.bytes), std::move(runs), piece.records);
        }
    }

    // After a failure: waits for the requests in flight, whatever they end with, so
    // none outlives the producer and the cluster they use.
    boost::asio::awaitable<void> abandon() {
        try {
            co_await window_.drain();
        } catch (...) {  // the failure that led here is the one reported
        }
    }

    boost::asio::awaitable<void> end_of_frame() {
        if (task_.target_partition < 0) co_await flush_spread();
    }

    boost::asio::awaitable<void> finish() {
        co_await flush_spread();
        co_await window_.drain();
        std::sort(runs_.begin(), runs_.end(),
                  [](const auto& a, const auto& b) { return a.source_first < b.source_first; });
        result.mapping = {task_.source_topic,
                          task_.source_partition,
                          task_.target_topic,
                          task_.target_partition,
                          {}};
        for (const auto& r : runs_)
            result.mapping.add(r.source_first, r.count(), r.target_partition, r.target_first);
    }

    // A record produced by an earlier run of this restore.
    void map_existing(std::int64_t source, std::int64_t target) {
        runs_.push_back({source, source, target, task_.target_partition});
        ++result.records;
    }

    task_result result;

  private:
    struct spread_acc {
        std::vector<proto::owned_record> records;
        std::size_t bytes = 0;
        proto::codec codec = proto::codec::none;
    };

    bool fits(std::size_t batch_bytes) const {
        return task_.max_batch_bytes == 0 || batch_bytes <= task_.max_batch_bytes;
    }

    std::string location() const {
        return fmt::format("{}-{} -> {}", task_.source_topic, task_.source_partition,
                           task_.target_topic);
    }

    void landed(const produce_done& d) {
        if (d.result.base_offset < 0) {
            kb::log::warn("restore",
                          "{}-{}: a retried request was a duplicate; its offsets are "
                          "left out of the mapping",
                          d.job.topic, d.job.partition);
            return;
        }
        auto target = d.result.base_offset;
        for (const auto& r : d.job.runs) {
            runs_.push_back({r.first, r.first + r.count - 1, target, d.job.partition});
            target += r.count;
        }
        result.records += d.job.records;
        result.bytes += d.job.bytes_hint;
        if (ctx_.progress) ctx_.progress->add(d.job.bytes_hint, d.job.records);
    }

    boost::asio::awaitable<void> submit(std::int32_t partition, runtime::shared_buffer bytes,
                                        std::vector<source_run> runs, std::uint64_t records) {
        // The restore-wide rate limit counts the batch's bytes as sent (compressed
        // when it is), so pass-through batches need not be decompressed to count.
        if (ctx_.limiter) co_await ctx_.limiter->acquire(records, bytes.size());
        produce_job job{task_.target_topic, partition, bytes, std::move(runs), records,
                        bytes.size(),       permit_};
        co_await window_.submit(std::move(job));
    }

    // The broker takes exactly one batch per partition in a Produce request. The
    // producer's restamp (on its private copy) also sets base offset 0, which Kafka 4
    // requires, so the batch goes to it as it is: one copy per batch, not two.
    boost::asio::awaitable<void> append(runtime::shared_buffer batch, std::vector<source_run> runs,
                                        std::uint64_t records) {
        co_await submit(task_.target_partition, std::move(batch), std::move(runs), records);
    }

    boost::asio::awaitable<void> spread(const proto::batch_view& b, selected_batch sel) {
        ++result.reencoded;
        if (sel.what == selected_batch::kind::pass) sel.records = proto::read_records(b);
        for (auto& r : sel.records) {
            auto p = r.key ? partition_for_key(*r.key, task_.target_partitions)
                           : task_.source_partition % task_.target_partitions;
            auto& acc = spread_[p];
            acc.codec = codec_for_target(b.header.compression(), task_.zstd_to_none);
            acc.bytes += (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0) + 32;
            acc.records.push_back(std::move(r));
        }
        co_return;
    }

    boost::asio::awaitable<void> flush_spread() {
        auto accs = std::exchange(spread_, {});
        auto where = location();
        for (auto& [p, acc] : accs) {
            auto pieces =
                encode_records_within(acc.records, acc.codec, task_.max_batch_bytes, where);
            std::size_t next = 0;
            for (auto& piece : pieces) {
                auto runs = runs_of(acc.records, next, piece.records);
                next += piece.records;
                co_await submit(p, std::move(piece.bytes), std::move(runs), piece.records);
            }
        }
    }

    shard_context ctx_;
    partition_task task_;
    produce_window window_;
    std::map<std::int32_t, spread_acc> spread_;
    std::shared_ptr<runtime::byte_permit> permit_;  // of the frame being produced
    std::vector<offset_range> runs_;
};

struct rules_and_skip {
    selection_rules rules;
    resume_from resume;
};

// Drops the first `resume.skip_records` chosen records (already on the target after a
// crash) and maps them to the target offsets they got then.
selected_batch apply_skip(const proto::batch_view& b, selected_batch sel, resume_from& resume,
                          partition_sink& sink) {
    if (resume.skip_records <= 0 || sel.what == selected_batch::kind::skip) return sel;
    if (sel.what == selected_batch::kind::pass) sel.records = proto::read_records(b);
    auto n =
        std::min<std::int64_t>(resume.skip_records, static_cast<std::int64_t>(sel.records.size()));
    for (std::int64_t i = 0; i < n; ++i)
        sink.map_existing(sel.records[i].offset, resume.take_target_offset());
    sel.records.erase(sel.records.begin(), sel.records.begin() + n);
    resume.skip_records -= n;
    sel.what = sel.records.empty() ? selected_batch::kind::skip : selected_batch::kind::reencode;
    return sel;
}

// Batches the transaction filter released, through selection into the sink.
boost::asio::awaitable<void> feed(std::vector<held_batch> released, rules_and_skip& rs,
                                  partition_sink& sink) {
    for (auto& h : released) {
        auto sel = apply_skip(h.batch, select_batch(h.batch, rs.rules), rs.resume, sink);
        sink.result.dropped += sel.dropped;
        co_await sink.add(h.batch, std::move(sel), h.permit);
    }
}

// Aborted transactions the manifest lists are dropped without waiting for markers.
void expect_listed_aborts(const partition_task& task, txn_filter<held_batch>& txns) {
    for (const auto& seg : task.segments)
        for (const auto& a : seg.aborted_transactions)
            txns.expect_aborted(a.producer_id, a.first_offset);
}

// Bytes held behind open transactions before reading ahead for their markers: a
// share of the budget, so held batches never starve the reader of permits.
std::size_t hold_limit(const shard_context& ctx) {
    return std::max<std::size_t>(ctx.budget->capacity() / 8, 64 * 1024);
}

// Finds the markers of the transactions still undecided from offset `from` on, in
// the rest of the partition's backup (also past the chosen range or time window: a
// chosen record of a transaction committed later is a committed record), and
// applies them; those without a marker anywhere are left out.
boost::asio::awaitable<std::vector<held_batch>> read_ahead(shard_context& ctx,
                                                           const partition_task& task,
                                                           std::int64_t from,
                                                           txn_filter<held_batch>& txns) {
    auto producers = txns.undecided();
    std::vector<held_batch> none;  // a named local, not a temporary, for GCC 12
    if (producers.empty()) co_return none;
    auto segments = task.segments;
    segments.insert(segments.end(), task.later_segments.begin(), task.later_segments.end());
    auto found = co_await find_markers(ctx.backend, std::move(segments), from, INT64_MAX,
                                       std::move(producers));
    co_return txns.decide(found);
}

// Too much waits behind open transactions: decide them by reading ahead.
boost::asio::awaitable<std::vector<held_batch>> relieve(shard_context& ctx,
                                                        const partition_task& task,
                                                        std::int64_t from,
                                                        txn_filter<held_batch>& txns) {
    kb::log::info("restore",
                  "{}-{}: {} bytes wait for {} open transactions at offset {}; reading ahead for "
                  "their markers",
                  task.source_topic, task.source_partition, txns.held_bytes(),
                  txns.undecided().size(), from);
    co_return co_await read_ahead(ctx, task, from, txns);
}

void report_transactions(const partition_task& task, const txn_counts& c, task_result& r) {
    r.aborted_transactions = c.aborted_transactions;
    r.aborted_records = c.aborted_records;
    r.open_transactions = c.open_transactions.size();
    r.uncommitted_records = c.open_records;
    if (c.aborted_transactions > 0)
        kb::log::info("restore",
                      "{}-{}: left out {} records of {} aborted transactions ({} known from the "
                      "manifest)",
                      task.source_topic, task.source_partition, c.aborted_records,
                      c.aborted_transactions, c.listed_aborted);
    if (c.open_transactions.empty()) return;
    std::string which;
    for (const auto& [pid, first] : c.open_transactions)
        which += fmt::format("{}producer {} from offset {}", which.empty() ? "" : ", ", pid, first);
    kb::log::warn("restore",
                  "{}-{}: {} transactions had no commit or abort marker when the backup stopped "
                  "({}); their {} records are not restored, as a read_committed consumer did not "
                  "see them; back up again once they end to restore them",
                  task.source_topic, task.source_partition, c.open_transactions.size(), which,
                  c.open_records);
}

boost::asio::awaitable<task_result> produce_frames(shard_context ctx, partition_task task,
                                                   rules_and_skip rs,
                                                   std::shared_ptr<frame_channel> ch) {
    partition_sink sink(ctx, task, co_await boost::asio::this_coro::executor);
    txn_filter<held_batch> txns;
    expect_listed_aborts(task, txns);
    const auto limit = hold_limit(ctx);
    std::int64_t next = task.first_offset;  // after the last batch seen
    std::exception_ptr failure;
    try {
        while (true) {
            auto frame = co_await ch->receive();
            if (!frame) break;
            // Named locals, not temporaries: GCC 12 mishandles temporaries that live
            // across a co_await (range-for over a call result).
            auto batches = proto::split_batches(frame->raw);
            for (const auto& b : batches) {
                auto item = held_batch{b, frame->permit};
                auto released = txns.push(b, std::move(item));
                co_await feed(std::move(released), rs, sink);
                next = b.header.last_offset() + 1;
                if (txns.held_bytes() <= limit) continue;
                auto decided = co_await relieve(ctx, task, next, txns);
                co_await feed(std::move(decided), rs, sink);
            }
            co_await sink.end_of_frame();
        }
        // Markers past what was read (beyond the range or window), then the end rule.
        auto decided = co_await read_ahead(ctx, task, next, txns);
        co_await feed(std::move(decided), rs, sink);
        auto rest = txns.finish();  // what waited behind transactions left open
        co_await feed(std::move(rest), rs, sink);
        co_await sink.end_of_frame();
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        ch->cancel();  // the reader stops at its next send
        co_await sink.abandon();
        std::rethrow_exception(failure);
    }
    co_await sink.finish();
    report_transactions(task, txns.counts(), sink.result);
    co_return std::move(sink.result);
}

}  // namespace

void resume_from::add(std::int64_t first, std::int64_t count) {
    if (count <= 0) return;
    skip_records += count;
    if (!target_runs.empty() && target_runs.back().first + target_runs.back().count == first)
        target_runs.back().count += count;
    else
        target_runs.push_back({first, count});
}

std::int64_t resume_from::take_target_offset() {
    while (next_run < target_runs.size() && target_runs[next_run].count == 0) ++next_run;
    if (next_run == target_runs.size())
        throw std::logic_error("resume_from: more records skipped than found on the target");
    auto& r = target_runs[next_run];
    --r.count;
    return r.first++;
}

boost::asio::awaitable<task_result> restore_partition(shard_context ctx, partition_task task,
                                                      std::optional<std::int64_t> time_start,
                                                      std::optional<std::int64_t> time_end,
                                                      resume_from resume) {
    auto ex = co_await boost::asio::this_coro::executor;
    auto ch = std::make_shared<frame_channel>(ex, 2);
    header_rules headers{task.strip_offset_headers, task.add_offset_headers, task.source_partition};
    rules_and_skip rs{{task.first_offset, task.last_offset, time_start, time_end,
                       task.target_partition < 0, headers},
                      resume};
    auto [segments, result] = co_await runtime::together(read_frames(ctx, task, time_start, ch),
                                                         produce_frames(ctx, task, rs, ch));
    result.segments = segments;
    co_return result;
}

}  // namespace kb::restore::detail
