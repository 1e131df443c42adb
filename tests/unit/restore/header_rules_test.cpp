// OSO's restore headers (include_original_offset_header, strip_offset_headers):
// what select_batch makes of a batch, byte for byte as OSO's inject_offset_headers
// writes them, and that batches pass through untouched when nothing changes.
#include "batch_select.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace kb::restore::detail;
namespace proto = kb::kafka::protocol;

namespace {

std::span<const std::byte> view_of(const std::string& s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

std::vector<std::byte> le_bytes(std::initializer_list<int> v) {
    std::vector<std::byte> out;
    for (int b : v) out.push_back(static_cast<std::byte>(b));
    return out;
}

// Two records at offsets 41 and 42, each with the headers named in `keys`.
kb::runtime::shared_buffer batch_with_headers(std::vector<std::string> keys) {
    static const std::string v = "v", hv = "hv";
    std::vector<proto::record_header> headers;
    for (const auto& k : keys) headers.push_back({k, view_of(hv)});
    headers.push_back({"trace", std::nullopt});  // a null value stays null
    std::vector<proto::record_input> in;
    in.push_back({0x0102030405, view_of(v), view_of(v), headers, std::nullopt});
    in.push_back({0x0102030406, view_of(v), view_of(v), headers, std::nullopt});
    proto::batch_spec spec;
    spec.base_offset = 41;
    return kb::runtime::shared_buffer::adopt(proto::encode_batch(spec, in));
}

// Keeps the buffer alive beside the view taken of it.
struct one_batch {
    kb::runtime::shared_buffer buf;
    proto::batch_view view;
};

one_batch one_batch_with(std::vector<std::string> keys) {
    auto buf = batch_with_headers(std::move(keys));
    auto views = proto::split_batches(buf);
    BOOST_TEST_REQUIRE(views.size() == 1u);
    return {buf, views[0]};
}

std::vector<std::string> keys_of(const proto::owned_record& r) {
    std::vector<std::string> out;
    for (const auto& h : r.headers) out.push_back(h.key);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(header_rules_suite)

BOOST_AUTO_TEST_CASE(adding_appends_oso_headers_in_little_endian) {
    auto b = one_batch_with({"app"});
    selection_rules rules;
    rules.headers = {false, true, 7};
    auto sel = select_batch(b.view, rules);
    BOOST_TEST((sel.what == selected_batch::kind::reencode));
    BOOST_TEST_REQUIRE(sel.records.size() == 2u);
    const auto& r = sel.records[1];
    BOOST_TEST(r.offset == 42);
    std::vector<std::string> want = {"app", "trace", "x-original-offset", "x-original-timestamp",
                                     "x-source-partition"};
    BOOST_TEST(keys_of(r) == want, boost::test_tools::per_element());
    BOOST_TEST(!r.headers[1].value.has_value());
    BOOST_TEST((*r.headers[2].value == le_bytes({42, 0, 0, 0, 0, 0, 0, 0})));
    BOOST_TEST((*r.headers[3].value == le_bytes({0x06, 0x04, 0x03, 0x02, 0x01, 0, 0, 0})));
    BOOST_TEST((*r.headers[4].value == le_bytes({7, 0, 0, 0})));
    // Re-encoded, the headers survive the round trip.
    auto again = proto::split_batches(encode_records(sel.records, proto::codec::none));
    auto back = proto::read_records(again.at(0));
    BOOST_TEST(keys_of(back.at(1)) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stripping_drops_exactly_the_four_tool_headers) {
    auto b = one_batch_with({"x-original-offset", "X-Original-Offset", "x-source-cluster",
                             "x-original-timestamp", "x-source-partition", "x-original-offset-v2"});
    selection_rules rules;
    rules.headers.strip_tool_headers = true;
    auto sel = select_batch(b.view, rules);
    BOOST_TEST((sel.what == selected_batch::kind::reencode));
    std::vector<std::string> want = {"X-Original-Offset", "x-original-offset-v2", "trace"};
    BOOST_TEST(keys_of(sel.records.at(0)) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(strip_then_add_leaves_one_fresh_set) {
    auto b = one_batch_with({"x-original-offset", "x-original-timestamp"});
    selection_rules rules;
    rules.headers = {true, true, 0};
    auto sel = select_batch(b.view, rules);
    std::vector<std::string> want = {"trace", "x-original-offset", "x-original-timestamp",
                                     "x-source-partition"};
    BOOST_TEST(keys_of(sel.records.at(0)) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_batch_without_tool_headers_passes_through_when_only_stripping) {
    auto b = one_batch_with({"app"});
    selection_rules rules;
    rules.headers.strip_tool_headers = true;
    BOOST_TEST((select_batch(b.view, rules).what == selected_batch::kind::pass));
    BOOST_TEST((select_batch(b.view, selection_rules{}).what == selected_batch::kind::pass));
}

BOOST_AUTO_TEST_SUITE_END()
