#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace kb::restore;

BOOST_AUTO_TEST_SUITE(offset_mapping_suite)

BOOST_AUTO_TEST_CASE(add_merges_contiguous_runs_only) {
    partition_mapping m;
    m.add(0, 10, 0, 100);  // 0..9 -> 100..109
    m.add(10, 5, 0, 110);  // continues
    m.add(20, 5, 0, 115);  // source hole (compaction): new range
    m.add(25, 1, 1, 120);  // other target partition: new range
    BOOST_REQUIRE_EQUAL(m.ranges.size(), 3u);
    BOOST_CHECK(m.ranges[0] == (offset_range{0, 14, 100, 0}));
    BOOST_CHECK(m.ranges[1] == (offset_range{20, 24, 115, 0}));
    BOOST_CHECK_EQUAL(m.record_count(), 21u);
}

BOOST_AUTO_TEST_CASE(translate_takes_first_restored_record_at_or_after) {
    partition_mapping m;
    m.add(0, 10, 0, 0);    // 0..9 -> 0..9
    m.add(20, 10, 0, 10);  // 20..29 -> 10..19
    BOOST_CHECK_EQUAL(translate(m, 0)->target_offset, 0);
    BOOST_CHECK_EQUAL(translate(m, 5)->target_offset, 5);
    BOOST_CHECK_EQUAL(translate(m, 10)->target_offset, 10);  // in the hole: next restored
    BOOST_CHECK_EQUAL(translate(m, 15)->target_offset, 10);
    BOOST_CHECK_EQUAL(translate(m, 25)->target_offset, 15);
    BOOST_CHECK_EQUAL(translate(m, 29)->target_offset, 19);
    BOOST_CHECK(!translate(m, 30).has_value());
}

offset_mapping sample() {
    offset_mapping m;
    m.backup_id = "b1";
    m.restore_id = "r-1";
    m.created_at = "2024-05-01T12:00:00.000Z";
    m.target_cluster_id = "cid";
    partition_mapping p{"orders", 2, "orders-r", 2, {}};
    p.add(3, 7, 2, 0);
    m.partitions.push_back(p);
    m.groups.push_back({"g", "orders", 2, 5, "orders-r", 2, 2, true});
    return m;
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
    auto m = sample();
    auto text = serialize_offset_mapping(m);
    BOOST_CHECK(parse_offset_mapping(text) == m);
    BOOST_CHECK(text.find("\"source_last\": 9") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(parse_names_the_bad_field) {
    auto text = serialize_offset_mapping(sample());
    auto pos = text.find("\"target_first\": 0");
    text.replace(pos, 17, "\"target_first\": \"x\"");
    try {
        parse_offset_mapping(text);
        BOOST_FAIL("no error");
    } catch (const kb::error& e) {
        BOOST_CHECK_EQUAL(e.code(), "InvalidOffsetMapping");
        BOOST_CHECK_MESSAGE(
            std::string(e.what()).find("partitions[0].ranges[0].target_first") != std::string::npos,
            e.what());
    }
    BOOST_CHECK_THROW(parse_offset_mapping("{"), kb::error);
}

BOOST_AUTO_TEST_CASE(stored_with_the_backup) {
    auto dir = std::filesystem::temp_directory_path() / "kb-restore-mapping-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    boost::asio::io_context io;
    auto owned = kb::storage::make_fs_backend(io.get_executor(), dir);
    auto& b = *owned;
    kb::storage::format::backup_layout layout("b1", "pre");
    BOOST_CHECK_EQUAL(offset_mapping_key(layout, "r-1"), "pre/b1/restores/r-1/offset-mapping.json");
    auto fut = boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            BOOST_CHECK(!(co_await read_offset_mapping(b, layout, "r-1")).has_value());
            co_await write_offset_mapping(b, layout, sample());
            auto back = co_await read_offset_mapping(b, layout, "r-1");
            BOOST_REQUIRE(back.has_value());
            BOOST_CHECK(*back == sample());
            auto ids = co_await list_offset_mappings(b, layout);
            BOOST_REQUIRE_EQUAL(ids.size(), 1u);
            BOOST_CHECK_EQUAL(ids[0], "r-1");
        },
        boost::asio::use_future);
    io.run();
    fut.get();
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
