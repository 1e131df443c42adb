#pragma once
// find_markers: reads ahead in a partition's segments for the control markers of
// transactions that hold too many batches, so the filter can decide them without
// keeping everything behind them in memory (an open transaction at the end of a
// backup may have gigabytes of other records after it).
//
// One frame at a time, outside the byte budget (the budget may be exhausted by the
// very batches waiting for these markers); each frame is checked as it is read.

#include "batch_select.hpp"  // control_commits

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace kb::restore::detail {

namespace lookahead {

// Records the markers of `producers` found in `batches`; true when none is left.
inline bool take_markers(const std::vector<kafka::protocol::batch_view>& batches, std::int64_t from,
                         std::int64_t last, std::set<std::int64_t>& producers,
                         std::map<std::int64_t, bool>& found) {
    for (const auto& b : batches) {
        const auto& h = b.header;
        if (!h.control() || h.base_offset < from || h.base_offset > last) continue;
        if (!producers.contains(h.producer_id)) continue;
        found[h.producer_id] = control_commits(b).value_or(false);
        producers.erase(h.producer_id);
    }
    return producers.empty();
}

}  // namespace lookahead

// Commit (true) or abort (false) for each of `producers` whose marker lies in
// offsets [from, last]; producers without one are absent from the result.
inline boost::asio::awaitable<std::map<std::int64_t, bool>> find_markers(
    storage::backend* backend, std::vector<storage::format::segment_ref> segments,
    std::int64_t from, std::int64_t last, std::set<std::int64_t> producers) {
    std::map<std::int64_t, bool> found;
    for (const auto& seg : segments) {
        if (producers.empty()) break;
        if (seg.last_offset < from) continue;
        if (seg.first_offset > last) break;
        storage::format::segment_read_options opts;  // a named local across co_await
        auto reader = co_await storage::format::segment_reader::open(*backend, seg.key, opts);
        const auto& frames = reader.footer().frames;
        for (std::size_t i = 0; i < frames.size() && !producers.empty(); ++i) {
            if (frames[i].last_offset < from) continue;
            if (frames[i].first_offset > last) break;
            auto frame = co_await reader.read_frame(i);  // checks frame CRC and batch CRCs
            auto batches = kafka::protocol::split_batches(frame.raw);
            if (lookahead::take_markers(batches, from, last, producers, found)) break;
        }
    }
    co_return found;
}

}  // namespace kb::restore::detail
