// S3 failures classified at the edge, with messages that name the bucket and
// object, carry S3's Code and Message, and never the secret or the whole key id.
#include <kb/storage/s3/errors.hpp>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/test/unit_test.hpp>

using namespace kb::storage::s3;
using kb::error_class;

namespace {

const error_context ctx{"GetObject", "backups", "prod/seg-1.kb", "http://127.0.0.1:9000",
                        "AKIAIOSFODNN7EXAMPLE"};

std::string error_xml(std::string_view code, std::string_view message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + std::string(code) +
           "</Code><Message>" + std::string(message) + "</Message><Key>x</Key></Error>";
}

bool has(const kb::error& e, std::string_view text) {
    return std::string_view(e.what()).find(text) != std::string_view::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_errors)

BOOST_AUTO_TEST_CASE(no_such_key_is_not_found) {
    auto e = s3_error(404, error_xml("NoSuchKey", "The specified key does not exist."), ctx);
    BOOST_TEST((e.cls() == error_class::not_found));
    BOOST_TEST(e.code() == "NoSuchKey");
    BOOST_TEST(has(e, "s3://backups/prod/seg-1.kb"));
    BOOST_TEST(has(e, "The specified key does not exist."));
}

BOOST_AUTO_TEST_CASE(no_such_bucket_names_the_bucket_and_endpoint) {
    auto e = s3_error(404, error_xml("NoSuchBucket", "The specified bucket does not exist"), ctx);
    BOOST_TEST((e.cls() == error_class::not_found));
    BOOST_TEST(e.code() == "NoSuchBucket");
    BOOST_TEST(has(e, "bucket 'backups' does not exist at http://127.0.0.1:9000"));
    BOOST_TEST(has(e, "storage.bucket"));
}

BOOST_AUTO_TEST_CASE(credential_failures_are_auth_and_redacted) {
    for (auto code : {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"}) {
        auto e = s3_error(403, error_xml(code, "denied"), ctx);
        BOOST_TEST((e.cls() == error_class::auth), code);
        BOOST_TEST(e.code() == code);
        BOOST_TEST(has(e, "S3 rejected the credentials for access key AKIA…"));
        BOOST_TEST(!has(e, "AKIAIOSFODNN7EXAMPLE"));
        BOOST_TEST(has(e, code));
    }
    // HEAD responses have no body: the status alone classifies.
    BOOST_TEST((s3_error(403, "", ctx).cls() == error_class::auth));
    BOOST_TEST(redact_access_key("AKIAIOSFODNN7EXAMPLE") == "AKIA…");
}

BOOST_AUTO_TEST_CASE(transient_failures_are_retryable) {
    BOOST_TEST((s3_error(503, error_xml("SlowDown", "Reduce your request rate."), ctx).cls() ==
                error_class::retryable));
    BOOST_TEST(
        (s3_error(500, error_xml("InternalError", "oops"), ctx).cls() == error_class::retryable));
    BOOST_TEST((s3_error(502, "<html>Bad Gateway</html>", ctx).cls() == error_class::retryable));
    BOOST_TEST(
        (s3_error(400, error_xml("RequestTimeout", "idle"), ctx).cls() == error_class::retryable));
}

BOOST_AUTO_TEST_CASE(everything_else_is_fatal_with_code_and_message) {
    auto e = s3_error(
        400, error_xml("EntityTooSmall", "Your proposed upload is smaller than the minimum"), ctx);
    BOOST_TEST((e.cls() == error_class::fatal));
    BOOST_TEST(e.code() == "EntityTooSmall");
    BOOST_TEST(has(e, "HTTP 400 EntityTooSmall: Your proposed upload is smaller than the minimum"));
    BOOST_TEST((s3_error(416, "", ctx).cls() == error_class::fatal));
}

BOOST_AUTO_TEST_CASE(transport_failures) {
    auto reset = transport_error(boost::asio::error::connection_reset, ctx);
    BOOST_TEST((reset.cls() == error_class::retryable));
    BOOST_TEST(has(reset, "http://127.0.0.1:9000"));
    BOOST_TEST(has(reset, "AWS_ENDPOINT_URL"));
    auto unresolvable = transport_error(boost::asio::error::host_not_found, ctx);
    BOOST_TEST((unresolvable.cls() == error_class::fatal));
    BOOST_TEST(unresolvable.code() == "EndpointUnresolvable");
    BOOST_TEST((transport_error(boost::asio::error::connection_refused, ctx).cls() ==
                error_class::retryable));
    BOOST_TEST(
        (transport_error(boost::beast::error::timeout, ctx).cls() == error_class::retryable));
    BOOST_TEST(
        (transport_error(boost::beast::http::error::body_limit, ctx).cls() == error_class::fatal));
}

// Callers act on the reason, which only S3's Code (or a bare status) decides.
BOOST_AUTO_TEST_CASE(reasons_come_from_the_code_never_the_message) {
    using kb::reason;
    auto key = s3_error(404, error_xml("NoSuchKey", "The specified key does not exist."), ctx);
    BOOST_TEST((key.why() == reason::object_missing));
    BOOST_TEST((s3_error(404, "", ctx).why() == reason::object_missing));  // a HEAD's bare 404
    auto bucket =
        s3_error(404, error_xml("NoSuchBucket", "The specified bucket does not exist"), ctx);
    BOOST_TEST((bucket.cls() == error_class::not_found));
    BOOST_TEST((bucket.why() == reason::bucket_missing));  // not found, but not a missing object
    BOOST_TEST(
        (s3_error(404, error_xml("NoSuchUpload", "gone"), ctx).why() == reason::upload_missing));
    BOOST_TEST((s3_error(403, error_xml("SignatureDoesNotMatch", "no"), ctx).why() ==
                reason::credentials_rejected));
    // A message that merely mentions "NotFound" or "NoSuchKey" is not a missing object.
    auto lookalike =
        s3_error(500, error_xml("InternalError", "NotFound: NoSuchKey while listing"), ctx);
    BOOST_TEST((lookalike.cls() == error_class::retryable));
    BOOST_TEST((lookalike.why() == reason::unspecified));
    BOOST_TEST((reason_of_code("NoSuchKeys", 400) == reason::unspecified));
}

BOOST_AUTO_TEST_CASE(transport_failures_are_an_unreachable_store) {
    BOOST_TEST((transport_error(boost::asio::error::connection_reset, ctx).why() ==
                kb::reason::store_unreachable));
    BOOST_TEST((transport_error(boost::beast::error::timeout, ctx).why() ==
                kb::reason::store_unreachable));
    BOOST_TEST((transport_error(boost::beast::http::error::body_limit, ctx).why() ==
                kb::reason::unspecified));
}

BOOST_AUTO_TEST_SUITE_END()
