#include "batch_select.hpp"

#include <kb/restore/partitioner.hpp>

#include <boost/test/unit_test.hpp>

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

BOOST_AUTO_TEST_SUITE_END()
