// Blob service failures classified at the edge, with messages that name the
// container and blob and carry the service's code and message.
#include <kb/storage/azure/errors.hpp>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/test/unit_test.hpp>

using namespace kb::storage::azure;
using kb::error_class;

namespace {

const error_context ctx{"Get Blob", "devstoreaccount1", "kb-test", "prod/seg-1.kb",
                        "http://127.0.0.1:54000/devstoreaccount1"};

std::string error_xml(std::string_view code, std::string_view message) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + std::string(code) +
           "</Code><Message>" + std::string(message) + "\nRequestId:1\nTime:now</Message></Error>";
}

bool has(const kb::error& e, std::string_view text) {
    return std::string_view(e.what()).find(text) != std::string_view::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(azure_errors)

BOOST_AUTO_TEST_CASE(blob_not_found) {
    auto e = blob_error(404, "BlobNotFound",
                        error_xml("BlobNotFound", "The specified blob does not exist."), ctx);
    BOOST_TEST((e.cls() == error_class::not_found));
    BOOST_TEST(e.code() == "BlobNotFound");
    BOOST_TEST(has(e, "http://127.0.0.1:54000/devstoreaccount1/kb-test/prod/seg-1.kb"));
    BOOST_TEST(has(e, "The specified blob does not exist."));
    BOOST_TEST(!has(e, "RequestId"));
}

BOOST_AUTO_TEST_CASE(container_not_found_says_create_it) {
    auto e = blob_error(
        404, "", error_xml("ContainerNotFound", "The specified container does not exist."), ctx);
    BOOST_TEST((e.cls() == error_class::not_found));
    BOOST_TEST(has(e, "container 'kb-test' does not exist"));
    BOOST_TEST(has(e, "storage.container_name"));
}

BOOST_AUTO_TEST_CASE(authentication_failures_are_auth) {
    auto e = blob_error(403, "AuthenticationFailed", "", ctx);
    BOOST_TEST((e.cls() == error_class::auth));
    BOOST_TEST(has(e, "AZURE_STORAGE_KEY"));
    BOOST_TEST((classify_code("AuthorizationPermissionMismatch", 403) == error_class::auth));
    BOOST_TEST((blob_error(403, "", "", ctx).cls() == error_class::auth));
}

BOOST_AUTO_TEST_CASE(busy_timeouts_and_damaged_bodies_are_retryable) {
    BOOST_TEST((classify_code("ServerBusy", 503) == error_class::retryable));
    BOOST_TEST((classify_code("OperationTimedOut", 500) == error_class::retryable));
    BOOST_TEST((classify_code("Md5Mismatch", 400) == error_class::retryable));
    BOOST_TEST((classify_code("", 429) == error_class::retryable));
    BOOST_TEST((classify_code("", 502) == error_class::retryable));
}

BOOST_AUTO_TEST_CASE(preconditions_and_bad_requests_are_fatal) {
    BOOST_TEST((classify_code("ConditionNotMet", 412) == error_class::fatal));
    BOOST_TEST((classify_code("BlobAlreadyExists", 409) == error_class::fatal));
    BOOST_TEST((classify_code("InvalidBlockList", 400) == error_class::fatal));
    auto e = blob_error(412, "", "", ctx);
    BOOST_TEST(e.code() == "ConditionNotMet");
}

BOOST_AUTO_TEST_CASE(header_code_wins_over_body) {
    auto e = blob_error(404, "BlobNotFound", error_xml("Other", "m"), ctx);
    BOOST_TEST(e.code() == "BlobNotFound");
}

BOOST_AUTO_TEST_CASE(transport_failures) {
    using boost::asio::error::make_error_code;
    BOOST_TEST(
        (transport_error(make_error_code(boost::asio::error::connection_refused), ctx).cls() ==
         error_class::retryable));
    BOOST_TEST(
        (transport_error(boost::beast::error::timeout, ctx).cls() == error_class::retryable));
    BOOST_TEST((transport_error(make_error_code(boost::asio::error::host_not_found), ctx).cls() ==
                error_class::fatal));
    BOOST_TEST(
        (transport_error(boost::beast::http::error::body_limit, ctx).code() == "ResponseTooLarge"));
    // An unreachable store names Azure's own settings, not S3's.
    auto msg = std::string(transport_error(boost::beast::error::timeout, ctx).what());
    BOOST_TEST(msg.find("Azure ") == 0u, msg);
    BOOST_TEST(msg.find("AZURE_STORAGE_CONNECTION_STRING") != std::string::npos, msg);
    BOOST_TEST(msg.find("AWS_") == std::string::npos, msg);
}

// The reasons callers act on match S3's and the filesystem's.
BOOST_AUTO_TEST_CASE(reasons_match_the_other_backends) {
    using kb::reason;
    BOOST_TEST((blob_error(404, "BlobNotFound", "", ctx).why() == reason::object_missing));
    BOOST_TEST((blob_error(404, "ContainerNotFound", "", ctx).why() == reason::bucket_missing));
    BOOST_TEST(
        (blob_error(403, "AuthenticationFailed", "", ctx).why() == reason::credentials_rejected));
    BOOST_TEST(
        (blob_error(500, "InternalError", error_xml("InternalError", "BlobNotFound"), ctx).why() ==
         reason::unspecified));
    BOOST_TEST(
        (transport_error(boost::beast::error::timeout, ctx).why() == reason::store_unreachable));
}

BOOST_AUTO_TEST_SUITE_END()
