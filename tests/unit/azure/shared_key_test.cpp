// Shared Key signing. The string to sign is checked against the format
// Microsoft documents ("Authorize with Shared Key"); the signatures against
// vectors made by the azure-storage-blob SDK's own signer
// (SharedKeyCredentialPolicy, 12.27.1) with sdk_vectors.py in this directory.
#include <kb/storage/azure/settings.hpp>
#include <kb/storage/azure/shared_key.hpp>
#include <kb/storage/http/digest.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::storage::azure;

namespace {

const std::string date = "Sat, 05 Dec 2026 20:00:00 GMT";
const std::string account(emulator_account);

std::vector<std::byte> key() {
    return *kb::storage::http::base64_decode(emulator_key);
}

signing_input with_date(signing_input in) {
    in.headers.emplace_back("x-ms-date", date);
    in.headers.emplace_back("x-ms-version", "2021-12-02");
    return in;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shared_key)

BOOST_AUTO_TEST_CASE(string_to_sign_follows_the_documented_layout) {
    auto in = with_date({.method = "PUT",
                         .encoded_path = "/devstoreaccount1/kb-test/k",
                         .query = {{"comp", "blocklist"}},
                         .headers = {{"If-None-Match", "*"},
                                     {"Content-Type", "application/xml"},
                                     {"Content-Length", "0"}}});
    // VERB, Content-Encoding, -Language, -Length (empty for 0), -MD5, -Type, Date,
    // If-Modified-Since, If-Match, If-None-Match, If-Unmodified-Since, Range,
    // then the x-ms-* headers and the resource with its query.
    BOOST_TEST(string_to_sign(account, in) ==
               "PUT\n\n\n\n\napplication/xml\n\n\n\n*\n\n\n"
               "x-ms-date:" +
                   date +
                   "\nx-ms-version:2021-12-02\n"
                   "/devstoreaccount1/devstoreaccount1/kb-test/k\ncomp:blocklist");
}

BOOST_AUTO_TEST_CASE(query_is_sorted_lowercased_and_multi_values_joined) {
    signing_input in{
        .method = "GET",
        .encoded_path = "/c",
        .query = {{"restype", "container"}, {"Comp", "list"}, {"include", "b"}, {"include", "a"}}};
    BOOST_TEST(canonicalized_resource("acct", in) ==
               "/acct/c\ncomp:list\ninclude:a,b\nrestype:container");
}

BOOST_AUTO_TEST_CASE(x_ms_headers_are_lowercased_sorted_and_folded) {
    signing_input in{.method = "GET",
                     .headers = {{"X-MS-Version", "2021-12-02"},
                                 {"x-ms-meta-a", "  two   words "},
                                 {"Content-Type", "text/plain"}}};
    BOOST_TEST(canonicalized_headers(in) == "x-ms-meta-a:two words\nx-ms-version:2021-12-02\n");
}

BOOST_AUTO_TEST_CASE(put_blob_matches_the_sdk) {
    auto in = with_date({.method = "PUT",
                         .encoded_path = "/devstoreaccount1/kb-test/backups/topic%20a/seg-1.kb",
                         .headers = {{"x-ms-blob-type", "BlockBlob"},
                                     {"Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="},
                                     {"Content-Length", "11"}}});
    BOOST_TEST(authorization(account, key(), in) ==
               "SharedKey devstoreaccount1:przYeBRBYqrmkNiAFlTSpahCIWs8vK2FlInnyKBCmuE=");
}

BOOST_AUTO_TEST_CASE(put_block_matches_the_sdk) {
    auto in = with_date({.method = "PUT",
                         .encoded_path = "/devstoreaccount1/kb-test/big/seg.kb",
                         .query = {{"comp", "block"}, {"blockid", "YWJjZGVmLTAwMDAwMQ=="}},
                         .headers = {{"Content-Length", "5242880"}}});
    BOOST_TEST(authorization(account, key(), in) ==
               "SharedKey devstoreaccount1:Sei9E88+aWid1CktTNRDSZ+cwxVQKciGu76/bEqGM1o=");
}

BOOST_AUTO_TEST_CASE(list_blobs_matches_the_sdk) {
    auto in = with_date({.method = "GET",
                         .encoded_path = "/devstoreaccount1/kb-test",
                         .query = {{"restype", "container"},
                                   {"comp", "list"},
                                   {"prefix", "b/"},
                                   {"maxresults", "1000"}}});
    BOOST_TEST(authorization(account, key(), in) ==
               "SharedKey devstoreaccount1:XvKJL3hNw1o237IEpMmNuAZ9FnJOgSQL4avkjFJjIp0=");
}

BOOST_AUTO_TEST_CASE(ranged_get_matches_the_sdk) {
    auto in = with_date({.method = "GET",
                         .encoded_path = "/devstoreaccount1/kb-test/k",
                         .headers = {{"x-ms-range", "bytes=0-99"}}});
    BOOST_TEST(authorization(account, key(), in) ==
               "SharedKey devstoreaccount1:uKLWvsuC4Nx4WyUYq5SeLkcLzzlpw/Lvuq8nxrtPyz0=");
}

BOOST_AUTO_TEST_CASE(conditional_block_list_matches_the_sdk) {
    auto in = with_date({.method = "PUT",
                         .encoded_path = "/devstoreaccount1/kb-test/k",
                         .query = {{"comp", "blocklist"}},
                         .headers = {{"If-None-Match", "*"},
                                     {"Content-Type", "application/xml"},
                                     {"Content-Length", "0"}}});
    BOOST_TEST(authorization(account, key(), in) ==
               "SharedKey devstoreaccount1:6Nbn+pJ3KEfbQC3Cbd4Mb9acX23V4K/2gWefIIEIpLU=");
}

BOOST_AUTO_TEST_CASE(a_different_key_gives_a_different_signature) {
    auto in = with_date({.method = "GET", .encoded_path = "/devstoreaccount1/kb-test/k"});
    auto other = *kb::storage::http::base64_decode("AAAA");
    BOOST_TEST(authorization(account, key(), in) != authorization(account, other, in));
}

BOOST_AUTO_TEST_SUITE_END()
