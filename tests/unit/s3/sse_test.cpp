// Server-side encryption headers: which request carries what, for each mode.
#include <kb/runtime/error.hpp>
#include <kb/storage/s3/errors.hpp>
#include <kb/storage/s3/s3_backend.hpp>
#include <kb/storage/s3/sse.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <map>

using namespace kb::storage::s3;

namespace {

std::map<std::string, std::string> as_map(const std::vector<kb::storage::s3::sigv4::header>& hs) {
    std::map<std::string, std::string> m;
    for (const auto& h : hs) m[h.name] = h.value;
    return m;
}

// The key bytes 0x00..0x1f; base64 and MD5 computed independently (Python's hashlib).
server_side_encryption customer() {
    server_side_encryption s;
    s.mode = sse_mode::customer;
    for (int i = 0; i < 32; ++i) s.customer_key.push_back(static_cast<char>(i));
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_side_encryption_headers)

BOOST_AUTO_TEST_CASE(none_adds_nothing) {
    server_side_encryption s;
    for (auto use : {sse_use::create, sse_use::part, sse_use::read})
        BOOST_TEST(sse_headers(s, use).empty());
}

BOOST_AUTO_TEST_CASE(sse_s3_is_named_only_when_the_object_is_created) {
    server_side_encryption s;
    s.mode = sse_mode::s3_managed;
    auto created = as_map(sse_headers(s, sse_use::create));
    BOOST_TEST(created.size() == 1u);
    BOOST_TEST(created["x-amz-server-side-encryption"] == "AES256");
    BOOST_TEST(sse_headers(s, sse_use::part).empty());
    BOOST_TEST(sse_headers(s, sse_use::read).empty());
}

BOOST_AUTO_TEST_CASE(sse_kms_names_the_key_id_when_given) {
    server_side_encryption s;
    s.mode = sse_mode::kms;
    BOOST_TEST(as_map(sse_headers(s, sse_use::create)).size() == 1u);
    s.kms_key_id = "kb-test-key";
    auto created = as_map(sse_headers(s, sse_use::create));
    BOOST_TEST(created["x-amz-server-side-encryption"] == "aws:kms");
    BOOST_TEST(created["x-amz-server-side-encryption-aws-kms-key-id"] == "kb-test-key");
    BOOST_TEST(sse_headers(s, sse_use::read).empty());
}

BOOST_AUTO_TEST_CASE(sse_c_sends_the_key_and_its_md5_on_every_use) {
    auto s = customer();
    for (auto use : {sse_use::create, sse_use::part, sse_use::read}) {
        auto h = as_map(sse_headers(s, use));
        BOOST_TEST(h["x-amz-server-side-encryption-customer-algorithm"] == "AES256");
        BOOST_TEST(h["x-amz-server-side-encryption-customer-key"] ==
                   "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        BOOST_TEST(h["x-amz-server-side-encryption-customer-key-md5"] ==
                   "tP/LI3N87DFaSk0aoqYgzg==");
    }
}

BOOST_AUTO_TEST_CASE(modes_parse_from_their_header_values) {
    BOOST_TEST((parse_sse_mode("AES256") == sse_mode::s3_managed));
    BOOST_TEST((parse_sse_mode("aws:kms") == sse_mode::kms));
    BOOST_TEST((parse_sse_mode("customer") == sse_mode::customer));
    BOOST_TEST((parse_sse_mode("SSE-C") == sse_mode::customer));
    BOOST_TEST(!parse_sse_mode("aes256").has_value());
}

BOOST_AUTO_TEST_CASE(a_short_customer_key_or_a_stray_kms_id_is_refused) {
    auto s = customer();
    s.customer_key.pop_back();
    BOOST_CHECK_EXCEPTION(check(s), kb::error, [](const kb::error& e) {
        return std::string_view(e.what()).find("31 bytes") != std::string_view::npos;
    });
    server_side_encryption stray;
    stray.mode = sse_mode::s3_managed;
    stray.kms_key_id = "k";
    BOOST_CHECK_THROW(check(stray), kb::error);
}

BOOST_AUTO_TEST_CASE(sse_c_over_plain_http_is_refused_before_any_request) {
    s3_config c;
    c.bucket = "backups";
    c.endpoint = "http://127.0.0.1:9000";
    c.allow_http = true;
    c.access_key = "AKIDEXAMPLE";
    c.secret_key = "not-a-real-secret";
    c.sse = customer();
    boost::asio::io_context io;
    BOOST_CHECK_EXCEPTION(make_s3_backend(io.get_executor(), c), kb::error, [](const kb::error& e) {
        return std::string_view(e.what()).find("only over https") != std::string_view::npos;
    });
}

BOOST_AUTO_TEST_CASE(a_refused_read_with_sse_c_names_the_key_by_its_md5) {
    error_context ctx{.operation = "GetObject",
                      .bucket = "b",
                      .key = "k",
                      .endpoint = "https://s3",
                      .access_key = "AKIDEXAMPLE",
                      .sse_customer_key_md5 = "tP/LI3N87DFaSk0aoqYgzg=="};
    auto e = s3_error(403, "<Error><Code>AccessDenied</Code></Error>", ctx);
    std::string text = e.what();
    BOOST_TEST(text.find("SSE-C key whose MD5 is tP/LI3N87DFaSk0aoqYgzg==") != std::string::npos);
    BOOST_TEST(text.find("KB_S3_SSE_CUSTOMER_KEY") != std::string::npos);
    ctx.sse_customer_key_md5.clear();  // without SSE-C: the credentials message
    BOOST_TEST(std::string(s3_error(403, "", ctx).what()).find("rejected the credentials") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
