// GCS request building: endpoints, the emulator variable, request-targets with
// object names percent-encoded as one path segment, and the chunking of
// resumable uploads into 256 KiB multiples.
#include <kb/runtime/error.hpp>
#include <kb/storage/gcs/request.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::storage::gcs;

BOOST_AUTO_TEST_SUITE(gcs_request)

BOOST_AUTO_TEST_CASE(endpoints) {
    auto google = parse_endpoint(default_endpoint_url);
    BOOST_TEST(google.tls);
    BOOST_TEST(google.host == "storage.googleapis.com");
    BOOST_TEST(google.port == 443);
    BOOST_TEST(google.url() == "https://storage.googleapis.com");
    auto emu = parse_endpoint("http://127.0.0.1:55000/");
    BOOST_TEST(!emu.tls);
    BOOST_TEST(emu.port == 55000);
    BOOST_TEST(emu.authority() == "127.0.0.1:55000");
    BOOST_CHECK_THROW(parse_endpoint("127.0.0.1:55000"), kb::error);
    BOOST_CHECK_THROW(parse_endpoint("http://h:99999"), kb::error);
    BOOST_CHECK_THROW(parse_endpoint("http://h/path"), kb::error);
    BOOST_CHECK_THROW(parse_endpoint("http://"), kb::error);
}

BOOST_AUTO_TEST_CASE(emulator_host_forms) {
    BOOST_TEST(emulator_url("127.0.0.1:55000") == "http://127.0.0.1:55000");
    BOOST_TEST(emulator_url("http://localhost:4443/") == "http://localhost:4443");
    BOOST_TEST(emulator_url("https://gcs.test") == "https://gcs.test");
}

BOOST_AUTO_TEST_CASE(targets) {
    BOOST_TEST(percent_encode("a/b c~_.-") == "a%2Fb%20c~_.-");
    BOOST_TEST(join_key("", "k") == "k");
    BOOST_TEST(join_key("p/q", "k") == "p/q/k");
    BOOST_TEST(object_target("bkt", "p/seg 1") == "/storage/v1/b/bkt/o/p%2Fseg%201");
    BOOST_TEST(media_target("bkt", "p/k") == "/storage/v1/b/bkt/o/p%2Fk?alt=media");
    BOOST_TEST(simple_upload_target("bkt", "p/k") ==
               "/upload/storage/v1/b/bkt/o?uploadType=media&name=p%2Fk");
    BOOST_TEST(simple_upload_target("bkt", "lock", true) ==
               "/upload/storage/v1/b/bkt/o?uploadType=media&name=lock&ifGenerationMatch=0");
    BOOST_TEST(resumable_start_target("bkt", "p/k") ==
               "/upload/storage/v1/b/bkt/o?uploadType=resumable&name=p%2Fk");
    BOOST_TEST(list_target("bkt", "p/", std::nullopt, 1000) ==
               "/storage/v1/b/bkt/o?maxResults=1000&prefix=p%2F");
    BOOST_TEST(list_target("bkt", "", std::string("CgR+/="), 10) ==
               "/storage/v1/b/bkt/o?maxResults=10&pageToken=CgR%2B%2F%3D");
}

BOOST_AUTO_TEST_CASE(session_location) {
    BOOST_TEST(target_of_location("https://storage.googleapis.com/upload/storage/v1/b/b/o?"
                                  "uploadType=resumable&upload_id=ABC") ==
               "/upload/storage/v1/b/b/o?uploadType=resumable&upload_id=ABC");
    BOOST_TEST(target_of_location("http://127.0.0.1:55000/upload/x?upload_id=1") ==
               "/upload/x?upload_id=1");
    BOOST_TEST(target_of_location("/relative?x") == "/relative?x");
    BOOST_TEST(target_of_location("") == "");
    BOOST_TEST(target_of_location("https://host-only") == "");
}

BOOST_AUTO_TEST_CASE(ranges) {
    BOOST_TEST(range_header(0, 100) == "bytes=0-99");
    BOOST_TEST(range_header(1024, 1) == "bytes=1024-1024");
    BOOST_TEST(content_range(0, 262144, std::nullopt) == "bytes 0-262143/*");
    BOOST_TEST(content_range(262144, 100, 262244) == "bytes 262144-262243/262244");
    BOOST_TEST(content_range(524288, 0, 524288) == "bytes */524288");
}

BOOST_AUTO_TEST_CASE(chunking_in_256_kib_multiples) {
    constexpr std::uint64_t k256 = 256 * 1024;
    BOOST_TEST(plan_chunk(0).send == 0);
    BOOST_TEST(plan_chunk(k256 - 1).send == 0);
    BOOST_TEST(plan_chunk(k256 - 1).keep == k256 - 1);
    BOOST_TEST(plan_chunk(k256).send == k256);
    BOOST_TEST(plan_chunk(k256).keep == 0);
    // 16 MiB parts are whole multiples; a 5,000,000-byte part leaves a remainder.
    BOOST_TEST(plan_chunk(16ull << 20).keep == 0);
    auto odd = plan_chunk(5'000'000);
    BOOST_TEST(odd.send == 19 * k256);
    BOOST_TEST(odd.keep == 5'000'000 - 19 * k256);
    BOOST_TEST(odd.send % chunk_granularity == 0);
}

BOOST_AUTO_TEST_SUITE_END()
