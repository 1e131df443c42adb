// The SigV4 signer against AWS's published S3 examples ("Signature Calculations
// for the Authorization Header: Transferring Payload in a Single Chunk"):
// access key AKIAIOSFODNN7EXAMPLE, 20130524T000000Z, bucket examplebucket, us-east-1.
#include <kb/storage/s3/request.hpp>
#include <kb/storage/s3/sigv4.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace kb::storage::s3;

namespace {

const sigv4::credentials aws_example{"AKIAIOSFODNN7EXAMPLE",
                                     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
constexpr const char* when = "20130524T000000Z";
constexpr const char* host = "examplebucket.s3.amazonaws.com";
const std::string empty_hash(sigv4::empty_payload_sha256);

sigv4::request bucket_get(sigv4::query_params query) {
    return {"GET",
            "/",
            std::move(query),
            {{"Host", host}, {"x-amz-content-sha256", empty_hash}, {"x-amz-date", when}},
            empty_hash};
}

std::chrono::system_clock::time_point may_24_2013() {
    return std::chrono::system_clock::from_time_t(1369353600);  // 2013-05-24T00:00:00Z
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sigv4_aws_examples)

BOOST_AUTO_TEST_CASE(get_object_with_range) {
    sigv4::request r{"GET",
                     "/test.txt",
                     {},
                     {{"Host", host},
                      {"Range", "bytes=0-9"},
                      {"x-amz-content-sha256", empty_hash},
                      {"x-amz-date", when}},
                     empty_hash};
    BOOST_TEST(sigv4::canonical_request(r) ==
               "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
               "x-amz-content-sha256:" +
                   empty_hash +
                   "\nx-amz-date:20130524T000000Z\n\n"
                   "host;range;x-amz-content-sha256;x-amz-date\n" +
                   empty_hash);
    auto scope = sigv4::credential_scope(when, "us-east-1");
    BOOST_TEST(scope == "20130524/us-east-1/s3/aws4_request");
    BOOST_TEST(sigv4::string_to_sign(when, scope, sigv4::canonical_request(r)) ==
               "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
               "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    BOOST_TEST(sigv4::authorization(r, aws_example, when, "us-east-1") ==
               "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
               "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
               "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

BOOST_AUTO_TEST_CASE(put_object) {
    auto payload = sha256_hex(std::string_view("Welcome to Amazon S3."));
    BOOST_TEST(payload == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    sigv4::request r{"PUT",
                     "/test%24file.text",
                     {},
                     {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                      {"Host", host},
                      {"x-amz-date", when},
                      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                      {"x-amz-content-sha256", payload}},
                     payload};
    auto to_sign = sigv4::string_to_sign(when, sigv4::credential_scope(when, "us-east-1"),
                                         sigv4::canonical_request(r));
    BOOST_TEST(
        to_sign.ends_with("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"));
    BOOST_TEST(sigv4::authorization(r, aws_example, when, "us-east-1") ==
               "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
               "aws4_request,SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
               "x-amz-storage-class,"
               "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

BOOST_AUTO_TEST_CASE(get_bucket_lifecycle) {
    auto r = bucket_get({{"lifecycle", ""}});
    BOOST_TEST(sigv4::canonical_request(r).starts_with("GET\n/\nlifecycle=\nhost:"));
    BOOST_TEST(sigv4::signature(r, aws_example, when, "us-east-1") ==
               "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

BOOST_AUTO_TEST_CASE(get_bucket_list_objects) {
    // Given out of order: the canonical query sorts them.
    auto r = bucket_get({{"prefix", "J"}, {"max-keys", "2"}});
    BOOST_TEST(sigv4::canonical_request(r).starts_with("GET\n/\nmax-keys=2&prefix=J\n"));
    BOOST_TEST(sigv4::signature(r, aws_example, when, "us-east-1") ==
               "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

// AWS's general SigV4 documentation derives this key for (20120215, us-east-1, iam).
BOOST_AUTO_TEST_CASE(signing_key_published_vector) {
    auto key = sigv4::signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                  "us-east-1", "iam");
    BOOST_TEST(hex(key) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

// The same PUT example built by the request builder (virtual-hosted, key with '$')
// and signed by sign_request(): the builder encodes the path the way AWS did.
BOOST_AUTO_TEST_CASE(builder_and_sign_request_reproduce_put_example) {
    addressing a{parse_endpoint("https://s3.amazonaws.com"), "examplebucket", false};
    auto r = build_request(a, "PUT", "test$file.text");
    BOOST_TEST(r.host == host);
    BOOST_TEST(r.target() == "/test%24file.text");
    r.headers.push_back({"date", "Fri, 24 May 2013 00:00:00 GMT"});
    r.headers.push_back({"x-amz-storage-class", "REDUCED_REDUNDANCY"});
    sign_request(r, aws_example, "us-east-1", may_24_2013(),
                 sha256_hex(std::string_view("Welcome to Amazon S3.")));
    BOOST_REQUIRE(r.find_header("authorization") != nullptr);
    BOOST_TEST(
        r.find_header("authorization")
            ->ends_with(
                "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
    BOOST_TEST(*r.find_header("x-amz-date") == when);
}

BOOST_AUTO_TEST_CASE(session_token_is_signed) {
    addressing a{parse_endpoint("https://s3.amazonaws.com"), "examplebucket", false};
    auto plain = build_request(a, "GET", "test.txt");
    auto temp = plain;
    sign_request(plain, aws_example, "us-east-1", may_24_2013(), empty_hash);
    auto with_token = aws_example;
    with_token.session_token = "FQoGZXIvYXdzEXAMPLETOKEN";
    sign_request(temp, with_token, "us-east-1", may_24_2013(), empty_hash);
    BOOST_REQUIRE(temp.find_header("x-amz-security-token") != nullptr);
    BOOST_TEST(temp.find_header("authorization")->find("x-amz-security-token") !=
               std::string::npos);
    BOOST_TEST(*temp.find_header("authorization") != *plain.find_header("authorization"));
}

BOOST_AUTO_TEST_CASE(amz_date_formats_utc) {
    BOOST_TEST(sigv4::amz_date(may_24_2013()) == "20130524T000000Z");
    BOOST_TEST(sigv4::amz_date(may_24_2013() + std::chrono::seconds(3723)) == "20130524T010203Z");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sigv4_canonical_forms)

BOOST_AUTO_TEST_CASE(uri_encoding) {
    BOOST_TEST(sigv4::uri_encode("AZaz09-_.~", true) == "AZaz09-_.~");
    BOOST_TEST(sigv4::uri_encode("a b+c=d&e", true) == "a%20b%2Bc%3Dd%26e");
    BOOST_TEST(sigv4::uri_encode("dir/file $1.txt", false) == "dir/file%20%241.txt");
    BOOST_TEST(sigv4::uri_encode("dir/file", true) == "dir%2Ffile");
    BOOST_TEST(sigv4::uri_encode("100%*", true) == "100%25%2A");
    BOOST_TEST(sigv4::uri_encode("\xc3\xa9", true) == "%C3%A9");  // é in UTF-8
}

BOOST_AUTO_TEST_CASE(query_sorted_encoded_and_bare_flags) {
    sigv4::query_params q{{"uploadId", "a/b+c"}, {"partNumber", "7"}, {"uploads", ""}};
    BOOST_TEST(sigv4::canonical_query(q) == "partNumber=7&uploadId=a%2Fb%2Bc&uploads=");
    // Sorted by encoded name, then value; upper case before lower case (byte order).
    sigv4::query_params same{{"b", "2"}, {"a", "z"}, {"a", "y"}, {"B", "1"}};
    BOOST_TEST(sigv4::canonical_query(same) == "B=1&a=y&a=z&b=2");
    BOOST_TEST(sigv4::canonical_query({}) == "");
}

BOOST_AUTO_TEST_CASE(headers_lowercased_trimmed_sorted_merged) {
    std::vector<sigv4::header> hs{{"X-Amz-Meta-B", "  two   spaces  "},
                                  {"Host", "h"},
                                  {"x-amz-meta-a", "1"},
                                  {"X-AMZ-META-A", "2"}};
    BOOST_TEST(sigv4::canonical_headers(hs) ==
               "host:h\nx-amz-meta-a:1,2\nx-amz-meta-b:two spaces\n");
    BOOST_TEST(sigv4::signed_headers(hs) == "host;x-amz-meta-a;x-amz-meta-b");
}

BOOST_AUTO_TEST_CASE(any_input_change_changes_the_signature) {
    auto base = bucket_get({{"prefix", "J"}});
    auto sig = sigv4::signature(base, aws_example, when, "us-east-1");
    auto other_region = sigv4::signature(base, aws_example, when, "eu-west-1");
    auto changed = base;
    changed.payload_hash = std::string(sigv4::unsigned_payload);
    BOOST_TEST(sig != other_region);
    BOOST_TEST(sig != sigv4::signature(changed, aws_example, when, "us-east-1"));
    BOOST_TEST(sig != sigv4::signature(base, aws_example, "20130525T000000Z", "us-east-1"));
}

BOOST_AUTO_TEST_CASE(digests) {
    BOOST_TEST(sha256_hex(std::string_view("")) == sigv4::empty_payload_sha256);
    // RFC 1864 style Content-MD5 of "hello": base64 of 5d41402abc4b2a76b9719d911017c592.
    std::string_view hello = "hello";
    BOOST_TEST(md5_base64({reinterpret_cast<const std::byte*>(hello.data()), hello.size()}) ==
               "XUFAKrxLKna5cZ2REBfFkg==");
}

BOOST_AUTO_TEST_SUITE_END()
