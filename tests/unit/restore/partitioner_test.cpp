#include "batch_select.hpp"
#include "txn_filter.hpp"

#include <kb/restore/partitioner.hpp>

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

using namespace kb::restore;
namespace proto = kb::kafka::protocol;

namespace {
std::span<const std::byte> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

kb::runtime::shared_buffer batch_of(std::int64_t base, std::vector<std::int64_t> timestamps) {
    std::vector<proto::record_input> in;
    std::string v = "v";
    for (auto ts : timestamps) in.push_back({ts, bytes_of(v), bytes_of(v), {}, std::nullopt});
    proto::batch_spec spec;
    spec.base_offset = base;
    return kb::runtime::shared_buffer::adopt(proto::encode_batch(spec, in));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(partitioner_suite)

// Vectors from Kafka's UtilsTest.testMurmur2.
BOOST_AUTO_TEST_CASE(murmur2_matches_kafka) {
    BOOST_CHECK_EQUAL(murmur2(bytes_of("21")), -973932308);
    BOOST_CHECK_EQUAL(murmur2(bytes_of("foobar")), -790332482);
    BOOST_CHECK_EQUAL(murmur2(bytes_of("a-little-bit-long-string")), -985981536);
    BOOST_CHECK_EQUAL(murmur2(bytes_of("a-little-bit-longer-string")), -1486304829);
    BOOST_CHECK_EQUAL(murmur2(bytes_of("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")),
                      -58897971);
    BOOST_CHECK_EQUAL(murmur2(bytes_of("abc")), 479470107);
}

BOOST_AUTO_TEST_CASE(partition_is_non_negative) {
    for (int i = 0; i < 1000; ++i) {
        auto p = partition_for_key(bytes_of("key-" + std::to_string(i)), 6);
        BOOST_CHECK(p >= 0 && p < 6);
    }
}

BOOST_AUTO_TEST_CASE(select_passes_whole_batches_and_cuts_inside) {
    auto buf = batch_of(10, {100, 200, 300});
    auto views = proto::split_batches(buf);
    BOOST_REQUIRE_EQUAL(views.size(), 1u);
    detail::selection_rules all;
    BOOST_CHECK(detail::select_batch(views[0], all).what == detail::selected_batch::kind::pass);
    detail::selection_rules until_200;
    until_200.time_end = 200;
    auto cut = detail::select_batch(views[0], until_200);
    BOOST_CHECK(cut.what == detail::selected_batch::kind::reencode);
    BOOST_REQUIRE_EQUAL(cut.records.size(), 2u);
    BOOST_CHECK_EQUAL(cut.records[1].offset, 11);
    BOOST_CHECK_EQUAL(cut.dropped, 1u);
    detail::selection_rules later;
    later.time_start = 400;
    BOOST_CHECK(detail::select_batch(views[0], later).what == detail::selected_batch::kind::skip);
    detail::selection_rules offsets;
    offsets.first_offset = 11;
    auto from11 = detail::select_batch(views[0], offsets);
    BOOST_CHECK(from11.what == detail::selected_batch::kind::reencode);
    BOOST_CHECK_EQUAL(from11.records.size(), 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(txn_filter_suite)

namespace {
proto::batch_view view(std::int64_t pid, bool txn, bool control) {
    proto::batch_view v;
    v.header.producer_id = pid;
    v.header.attributes = static_cast<std::int16_t>((txn ? 0x10 : 0) | (control ? 0x20 : 0));
    return v;
}
}  // namespace

// Without control records the filter cannot tell commit from abort, so it holds
// transactional batches and everything after them until the stream ends.
BOOST_AUTO_TEST_CASE(holds_open_transactions_and_keeps_order) {
    detail::txn_filter<int> f;
    BOOST_CHECK_EQUAL(f.push(view(-1, false, false), 1).size(), 1u);
    BOOST_CHECK(f.push(view(7, true, false), 2).empty());
    BOOST_CHECK(f.push(view(-1, false, false), 3).empty());  // behind the open transaction
    BOOST_CHECK_EQUAL(f.held(), 2u);
}

namespace {
// A real encoded batch of `count` records (or a control marker) at `base`.
proto::batch_view txn_batch(std::vector<kb::runtime::shared_buffer>& keep, std::int64_t base,
                            std::int64_t pid, int count, bool txn,
                            std::optional<bool> marker = {}) {
    static const std::string v = "v";
    std::string key(4, '\0');  // control key: version 0, type 0 (abort) or 1 (commit)
    key[3] = marker.value_or(false) ? '\1' : '\0';
    std::vector<proto::record_input> in;
    for (int i = 0; i < (marker ? 1 : count); ++i)
        in.push_back({1000, marker ? bytes_of(key) : bytes_of(v), bytes_of(v), {}, std::nullopt});
    proto::batch_spec spec;
    spec.base_offset = base;
    spec.producer_id = pid;
    spec.producer_epoch = 0;
    spec.base_sequence = pid < 0 ? -1 : 0;
    spec.transactional = txn || marker.has_value();
    spec.control = marker.has_value();
    keep.push_back(kb::runtime::shared_buffer::adopt(proto::encode_batch(spec, in)));
    return proto::split_batches(keep.back()).at(0);
}

std::vector<int> push_all(detail::txn_filter<int>& f, std::vector<int>& out,
                          const proto::batch_view& b, int id) {
    for (int x : f.push(b, id)) out.push_back(x);
    return out;
}
}  // namespace

// Commit and abort markers decide, even many batches (segments) after the data;
// non-transactional records keep their place in offset order.
BOOST_AUTO_TEST_CASE(markers_release_commits_and_drop_aborts_in_order) {
    std::vector<kb::runtime::shared_buffer> keep;
    detail::txn_filter<int> f;
    std::vector<int> out;
    push_all(f, out, txn_batch(keep, 0, 7, 2, true), 1);          // txn A (pid 7), aborted later
    push_all(f, out, txn_batch(keep, 2, 8, 3, true), 2);          // txn B (pid 8), committed
    push_all(f, out, txn_batch(keep, 5, -1, 1, false), 3);        // plain record
    push_all(f, out, txn_batch(keep, 6, 8, 1, false, true), 0);   // COMMIT B
    BOOST_CHECK(out.empty());                                     // A still open, in front
    push_all(f, out, txn_batch(keep, 7, 7, 1, true), 4);          // more of A
    push_all(f, out, txn_batch(keep, 8, 7, 1, false, false), 0);  // ABORT A
    BOOST_CHECK((out == std::vector<int>{2, 3}));
    push_all(f, out, txn_batch(keep, 9, 7, 2, true), 5);  // a new transaction of pid 7
    push_all(f, out, txn_batch(keep, 11, 7, 1, false, true), 0);
    BOOST_CHECK((out == std::vector<int>{2, 3, 5}));
    BOOST_CHECK(f.finish().empty());
    BOOST_CHECK_EQUAL(f.counts().aborted_transactions, 1u);
    BOOST_CHECK_EQUAL(f.counts().aborted_batches, 2u);
    BOOST_CHECK_EQUAL(f.counts().aborted_records, 3u);
    BOOST_CHECK(f.counts().open_transactions.empty());
}

// The backup stopped inside a transaction: its records are left out and counted,
// what waited behind it (plain records, other committed transactions) is released.
BOOST_AUTO_TEST_CASE(transaction_open_at_the_end_is_left_out_alone) {
    std::vector<kb::runtime::shared_buffer> keep;
    detail::txn_filter<int> f;
    std::vector<int> out;
    push_all(f, out, txn_batch(keep, 0, -1, 1, false), 1);
    push_all(f, out, txn_batch(keep, 1, 7, 4, true), 2);  // never ends
    push_all(f, out, txn_batch(keep, 5, -1, 1, false), 3);
    push_all(f, out, txn_batch(keep, 6, 8, 2, true), 4);
    push_all(f, out, txn_batch(keep, 8, 8, 1, false, true), 0);  // COMMIT pid 8
    push_all(f, out, txn_batch(keep, 9, 7, 1, true), 5);         // still pid 7's
    BOOST_CHECK((out == std::vector<int>{1}));
    for (int x : f.finish()) out.push_back(x);
    BOOST_CHECK((out == std::vector<int>{1, 3, 4}));
    BOOST_CHECK_EQUAL(f.held(), 0u);
    BOOST_CHECK_EQUAL(f.counts().open_records, 5u);
    BOOST_CHECK_EQUAL(f.counts().open_batches, 2u);
    BOOST_REQUIRE_EQUAL(f.counts().open_transactions.size(), 1u);
    BOOST_CHECK_EQUAL(f.counts().open_transactions[0].first, 7);
    BOOST_CHECK_EQUAL(f.counts().open_transactions[0].second, 1);
}

// Decisions read ahead release what waits; a producer without a marker ahead is
// left out, and its later batches (before any marker) follow that decision.
BOOST_AUTO_TEST_CASE(decisions_read_ahead_release_what_waits) {
    std::vector<kb::runtime::shared_buffer> keep;
    detail::txn_filter<int> f;
    std::vector<int> out;
    push_all(f, out, txn_batch(keep, 0, 7, 2, true), 1);
    push_all(f, out, txn_batch(keep, 2, 8, 2, true), 2);
    push_all(f, out, txn_batch(keep, 4, 9, 1, true), 3);
    push_all(f, out, txn_batch(keep, 5, -1, 1, false), 4);
    BOOST_CHECK(out.empty());
    BOOST_CHECK(f.held_bytes() > 0u);
    BOOST_CHECK((f.undecided() == std::set<std::int64_t>{7, 8, 9}));
    for (int x : f.decide({{7, false}, {8, true}})) out.push_back(x);  // 9: no marker ahead
    BOOST_CHECK((out == std::vector<int>{2, 4}));
    BOOST_CHECK_EQUAL(f.held_bytes(), 0u);
    BOOST_CHECK(f.undecided().empty());
    push_all(f, out, txn_batch(keep, 6, 7, 1, true), 5);  // still the aborted one
    push_all(f, out, txn_batch(keep, 7, 8, 1, true), 6);  // still the committed one
    push_all(f, out, txn_batch(keep, 8, 9, 1, true), 7);  // still the open one
    push_all(f, out, txn_batch(keep, 9, 7, 1, false, false), 0);
    push_all(f, out, txn_batch(keep, 10, 8, 1, false, true), 0);
    BOOST_CHECK((out == std::vector<int>{2, 4, 6}));
    BOOST_CHECK(f.finish().empty());
    BOOST_CHECK_EQUAL(f.counts().aborted_records, 3u);
    BOOST_CHECK_EQUAL(f.counts().open_records, 2u);
    BOOST_CHECK_EQUAL(f.counts().open_transactions.size(), 1u);
}

// A transaction the manifest lists as aborted is dropped at once: nothing behind
// it waits for its marker, and the marker (when it comes) changes nothing.
BOOST_AUTO_TEST_CASE(listed_aborts_decide_without_the_marker) {
    std::vector<kb::runtime::shared_buffer> keep;
    detail::txn_filter<int> f;
    f.expect_aborted(7, 10);
    std::vector<int> out;
    push_all(f, out, txn_batch(keep, 10, 7, 2, true), 1);
    push_all(f, out, txn_batch(keep, 12, -1, 1, false), 2);
    BOOST_CHECK((out == std::vector<int>{2}));
    push_all(f, out, txn_batch(keep, 13, 7, 1, true), 3);
    push_all(f, out, txn_batch(keep, 14, -1, 1, false), 4);
    BOOST_CHECK((out == std::vector<int>{2, 4}));
    push_all(f, out, txn_batch(keep, 15, 7, 1, false, false), 0);  // its ABORT
    push_all(f, out, txn_batch(keep, 16, 7, 1, true), 5);          // the next one is not listed
    push_all(f, out, txn_batch(keep, 17, 7, 1, false, true), 0);
    BOOST_CHECK((out == std::vector<int>{2, 4, 5}));
    BOOST_CHECK_EQUAL(f.counts().listed_aborted, 1u);
    BOOST_CHECK_EQUAL(f.counts().aborted_transactions, 1u);
    BOOST_CHECK_EQUAL(f.counts().aborted_records, 3u);
}

BOOST_AUTO_TEST_SUITE_END()
