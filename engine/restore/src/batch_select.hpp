#pragma once
// Pure per-batch decisions of the restore pipeline (no I/O, unit-tested):
//
// - txn_filter keeps only what a read_committed consumer sees: it holds batches of
//   an open transaction (and, to keep offset order, everything after them) until
//   the transaction's control marker arrives, then releases them (commit) or drops
//   them (abort). Control batches themselves are never released. Transactions still
//   open at the end of the backup are dropped, as read_committed would not show them.
// - select_batch decides whether a batch passes through whole (restamped later by
//   the producer), must be re-encoded (a time window or offset range cuts it, or its
//   offsets have compaction holes, which a producer may not send), or is skipped.

#include <kb/kafka/protocol/record_batch.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace kb::restore::detail {

namespace proto = kb::kafka::protocol;

struct selection_rules {
    std::int64_t first_offset = 0;
    std::int64_t last_offset = INT64_MAX;
    std::optional<std::int64_t> time_start, time_end;  // inclusive, epoch ms
    bool force_decode = false;                         // repartitioning: always per record
};

struct selected_batch {
    enum class kind { pass, reencode, skip } what = kind::skip;
    std::vector<proto::owned_record> records;  // reencode: the chosen records, source offsets
    std::uint64_t dropped = 0;                 // records left out
};

selected_batch select_batch(const proto::batch_view& b, const selection_rules& rules);

// One record batch, encoded from `records` (contiguous offsets from 0), with `codec`.
runtime::shared_buffer encode_records(const std::vector<proto::owned_record>& records,
                                      proto::codec codec);

// Commit (true) or abort (false) from a control batch; nullopt for unknown markers.
std::optional<bool> control_commits(const proto::batch_view& b);

template <class Item>
class txn_filter {
  public:
    // Adds `batch` (in offset order) and returns the items that are now releasable.
    std::vector<Item> push(const proto::batch_view& b, Item item) {
        if (b.header.control()) {
            resolve(b.header.producer_id, control_commits(b).value_or(false));
        } else if (b.header.transactional()) {
            auto& d = open_[b.header.producer_id];
            if (!d) d = std::make_shared<decision>();
            pending_.push_back({std::move(item), d});
        } else {
            pending_.push_back({std::move(item), nullptr});
        }
        return release();
    }
    std::uint64_t dropped_batches() const noexcept { return dropped_; }
    std::size_t held() const noexcept { return pending_.size(); }

  private:
    struct decision {
        std::optional<bool> commit;
    };
    struct entry {
        Item item;
        std::shared_ptr<decision> d;  // null: not transactional
    };
    void resolve(std::int64_t pid, bool commit) {
        auto it = open_.find(pid);
        if (it == open_.end()) return;
        it->second->commit = commit;
        open_.erase(it);
    }
    std::vector<Item> release() {
        std::vector<Item> out;
        while (!pending_.empty()) {
            auto& front = pending_.front();
            if (front.d && !front.d->commit) break;  // transaction still open
            if (!front.d || *front.d->commit)
                out.push_back(std::move(front.item));
            else
                ++dropped_;
            pending_.pop_front();
        }
        return out;
    }
    std::deque<entry> pending_;
    std::map<std::int64_t, std::shared_ptr<decision>> open_;
    std::uint64_t dropped_ = 0;
};

}  // namespace kb::restore::detail
