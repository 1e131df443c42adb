#pragma once
// txn_filter: keeps only what a read_committed consumer sees, in offset order.
//
// A transactional batch is held (and, to keep offset order, everything after it)
// until its transaction's control marker arrives, then released (COMMIT) or
// dropped (ABORT). The marker may come many segments later: the filter lives for
// the whole partition. Control batches themselves are never released.
//
// Shortcuts and one end rule:
// - Aborted transactions listed in the manifest (segments[].aborted_transactions)
//   are dropped as soon as their first batch is seen, so nothing waits for them.
// - decide() takes decisions found by reading ahead (txn_lookahead.hpp) when too
//   much is held behind an open transaction.
// - At the end of the backup, a transaction without a marker was still open when
//   the backup stopped. Backups now end at the last stable offset, so this only
//   happens with backups taken up to the high watermark (older versions) or cut
//   short. A read_committed consumer did not see it and nobody can tell whether
//   it will commit, so its records are left out and counted as uncommitted;
//   everything held behind it (non-transactional records, other producers'
//   committed transactions) is released in order.

#include "batch_select.hpp"  // control_commits

#include <kb/kafka/protocol/record_batch.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace kb::restore::detail {

struct txn_counts {
    std::uint64_t aborted_transactions = 0;  // ended by an ABORT marker or listed aborted
    std::uint64_t aborted_batches = 0, aborted_records = 0;
    std::uint64_t listed_aborted = 0;                  // decided from the manifest's list
    std::uint64_t open_batches = 0, open_records = 0;  // no marker in the backup
    // (producer id, first offset) of each transaction left open, for the log.
    std::vector<std::pair<std::int64_t, std::int64_t>> open_transactions;
};

template <class Item>
class txn_filter {
  public:
    // A transaction of `producer_id` beginning at `first_offset` is known aborted.
    void expect_aborted(std::int64_t producer_id, std::int64_t first_offset) {
        known_aborted_.insert({producer_id, first_offset});
    }

    // Adds `b` (in offset order) and returns the items that are now releasable.
    std::vector<Item> push(const kafka::protocol::batch_view& b, Item item) {
        const auto& h = b.header;
        if (h.control()) {
            resolve(h.producer_id, control_commits(b).value_or(false));
        } else if (h.transactional()) {
            pending_.push_back({std::move(item), decision_for(h), h.record_count, b.bytes.size()});
            held_bytes_ += b.bytes.size();
        } else {
            pending_.push_back({std::move(item), nullptr, h.record_count, b.bytes.size()});
            held_bytes_ += b.bytes.size();
        }
        return release();
    }

    // Producers whose transaction holds batches back, undecided.
    std::set<std::int64_t> undecided() const {
        std::set<std::int64_t> out;
        for (const auto& [pid, d] : open_)
            if (!d->commit && !d->unresolved) out.insert(pid);
        return out;
    }

    // Decisions read ahead of the stream (`found`: producer -> commit); undecided
    // transactions not in it have no marker in the rest of the backup: left out.
    // Later batches of these transactions share the decision until their marker.
    std::vector<Item> decide(const std::map<std::int64_t, bool>& found) {
        for (auto& [pid, d] : open_) {
            if (d->commit || d->unresolved) continue;
            auto it = found.find(pid);
            if (it == found.end()) {
                d->unresolved = true;
                counts_.open_transactions.emplace_back(pid, d->first_offset);
                continue;
            }
            d->commit = it->second;
            if (!it->second) ++counts_.aborted_transactions;
        }
        return release();
    }

    // The end of the backup: transactions still open are left out (see above).
    std::vector<Item> finish() {
        auto out = decide({});
        open_.clear();
        return out;
    }

    // Bytes of the batches waiting for a decision.
    std::size_t held_bytes() const noexcept { return held_bytes_; }

    const txn_counts& counts() const noexcept { return counts_; }
    std::size_t held() const noexcept { return pending_.size(); }

  private:
    struct decision {
        std::optional<bool> commit;
        bool unresolved = false;  // no marker before the end of the backup
        std::int64_t first_offset = 0;
    };
    struct entry {
        Item item;
        std::shared_ptr<decision> d;  // null: not transactional
        std::int32_t records = 0;
        std::size_t bytes = 0;
    };

    std::shared_ptr<decision> decision_for(const kafka::protocol::batch_header& h) {
        auto& d = open_[h.producer_id];
        if (d) return d;
        d = std::make_shared<decision>();
        d->first_offset = h.base_offset;
        if (known_aborted_.contains({h.producer_id, h.base_offset})) {
            d->commit = false;
            ++counts_.aborted_transactions;
            ++counts_.listed_aborted;
        }
        return d;
    }

    void resolve(std::int64_t pid, bool commit) {
        auto it = open_.find(pid);
        if (it == open_.end()) return;  // its records were not seen (outside the range)
        auto& d = *it->second;
        if (!d.commit && !d.unresolved) {  // an earlier decision stands
            d.commit = commit;
            if (!commit) ++counts_.aborted_transactions;
        }
        open_.erase(it);
    }

    std::vector<Item> release() {
        std::vector<Item> out;
        while (!pending_.empty()) {
            auto& front = pending_.front();
            const auto* d = front.d.get();
            if (d && !d->commit && !d->unresolved) break;  // transaction still open
            if (!d || (d->commit && *d->commit)) {
                out.push_back(std::move(front.item));
            } else if (d->unresolved) {
                ++counts_.open_batches;
                counts_.open_records += static_cast<std::uint64_t>(front.records);
            } else {
                ++counts_.aborted_batches;
                counts_.aborted_records += static_cast<std::uint64_t>(front.records);
            }
            held_bytes_ -= front.bytes;
            pending_.pop_front();
        }
        return out;
    }

    std::deque<entry> pending_;
    std::map<std::int64_t, std::shared_ptr<decision>> open_;
    std::set<std::pair<std::int64_t, std::int64_t>> known_aborted_;
    txn_counts counts_;
    std::size_t held_bytes_ = 0;
};

}  // namespace kb::restore::detail
