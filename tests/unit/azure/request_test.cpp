// Request building: encoded paths (path-style and host-style accounts), targets
// with query and SAS, block ids of one length.
#include <kb/storage/azure/request.hpp>
#include <kb/storage/http/digest.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::storage::azure;

BOOST_AUTO_TEST_SUITE(azure_request)

BOOST_AUTO_TEST_CASE(paths_encode_blob_names_but_keep_slashes) {
    auto azurite = parse_account_url("http://127.0.0.1:54000/devstoreaccount1");
    BOOST_TEST(encoded_path(azurite, "c", "a b/partition=0/x+y") ==
               "/devstoreaccount1/c/a%20b/partition%3D0/x%2By");
    auto azure = parse_account_url("https://acct.blob.core.windows.net");
    BOOST_TEST(encoded_path(azure, "c", "") == "/c");
}

BOOST_AUTO_TEST_CASE(target_has_encoded_query_then_sas_as_given) {
    BOOST_TEST(request_target("/c/k", {{"comp", "block"}, {"blockid", "ab+/="}}, "") ==
               "/c/k?comp=block&blockid=ab%2B%2F%3D");
    BOOST_TEST(request_target("/c/k", {}, "sv=1&sig=a%3D") == "/c/k?sv=1&sig=a%3D");
    BOOST_TEST(request_target("/c", {{"comp", "list"}}, "sig=x") == "/c?comp=list&sig=x");
}

BOOST_AUTO_TEST_CASE(block_ids_are_base64_of_one_length) {
    auto a = block_id("0123456789abcdef", 1);
    auto b = block_id("0123456789abcdef", 50000);
    BOOST_TEST(a.size() == b.size());
    BOOST_TEST(a != b);
    auto raw = kb::storage::http::base64_decode(a);
    BOOST_REQUIRE(raw.has_value());
    BOOST_TEST(std::string(reinterpret_cast<const char*>(raw->data()), raw->size()) ==
               "0123456789abcdef-000001");
}

BOOST_AUTO_TEST_CASE(keys_join_under_the_prefix) {
    BOOST_TEST(join_key("", "k") == "k");
    BOOST_TEST(join_key("a/b", "k") == "a/b/k");
}

BOOST_AUTO_TEST_SUITE_END()
