// The JSON API's object resources and listings, as GCS and the emulator send them.
#include <kb/runtime/error.hpp>
#include <kb/storage/gcs/json.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::storage::gcs;

BOOST_AUTO_TEST_SUITE(gcs_json)

BOOST_AUTO_TEST_CASE(object_resource) {
    auto o = parse_object(R"({"kind":"storage#object","name":"p/seg-1.kb","bucket":"b",
        "size":"5000000","etag":"CJ3x","updated":"2026-12-05T20:44:16.250Z"})");
    BOOST_TEST(o.key == "p/seg-1.kb");
    BOOST_TEST(o.size == 5'000'000u);
    BOOST_TEST(o.etag == "CJ3x");
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(o.last_modified.time_since_epoch())
            .count();
    BOOST_TEST(ms == 1'796'503'456'250LL);
    BOOST_CHECK_THROW(parse_object(R"({"size":"1"})"), kb::error);
    BOOST_CHECK_THROW(parse_object(R"({"name":"x","size":"many"})"), kb::error);
}

BOOST_AUTO_TEST_CASE(listing_pages) {
    auto page = parse_list(R"({"kind":"storage#objects","nextPageToken":"tok",
        "items":[{"name":"a","size":"1"},{"name":"b","size":"2"}]})");
    BOOST_TEST(page.objects.size() == 2u);
    BOOST_TEST(page.objects[1].key == "b");
    BOOST_TEST(*page.next_token == "tok");
    auto last = parse_list(R"({"kind":"storage#objects"})");
    BOOST_TEST(last.objects.empty());
    BOOST_TEST(!last.next_token);
}

BOOST_AUTO_TEST_SUITE_END()
