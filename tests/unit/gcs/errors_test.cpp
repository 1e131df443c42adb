// GCS failures classified at the edge, as the S3 ones are: the class tells the
// caller whether to retry, the message names the object and GCS's reason.
#include <kb/storage/gcs/errors.hpp>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/test/unit_test.hpp>

using namespace kb::storage::gcs;
using kb::error_class;

namespace {

const error_context ctx{"objects.get", "backups", "prod/seg-1.kb", "http://127.0.0.1:55000"};

std::string doc(int code, std::string_view reason, std::string_view message) {
    return "{\"error\":{\"code\":" + std::to_string(code) + ",\"message\":\"" +
           std::string(message) + "\",\"errors\":[{\"reason\":\"" + std::string(reason) +
           "\",\"message\":\"x\"}]}}";
}

bool has(const kb::error& e, std::string_view text) {
    return std::string_view(e.what()).find(text) != std::string_view::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gcs_errors)

BOOST_AUTO_TEST_CASE(classes_by_status) {
    BOOST_TEST((classify_status(404) == error_class::not_found));
    BOOST_TEST((classify_status(401) == error_class::auth));
    BOOST_TEST((classify_status(403) == error_class::auth));
    BOOST_TEST((classify_status(412) == error_class::fatal));
    BOOST_TEST((classify_status(429) == error_class::retryable));
    BOOST_TEST((classify_status(408) == error_class::retryable));
    BOOST_TEST((classify_status(500) == error_class::retryable));
    BOOST_TEST((classify_status(503) == error_class::retryable));
    BOOST_TEST((classify_status(400) == error_class::fatal));
}

BOOST_AUTO_TEST_CASE(messages_and_codes) {
    auto nf = gcs_error(404, doc(404, "notFound", "No such object: backups/prod/seg-1.kb"), ctx);
    BOOST_TEST(nf.code() == "NotFound");
    BOOST_TEST(has(nf, "gs://backups/prod/seg-1.kb"));
    BOOST_TEST(has(nf, "notFound"));
    // GCS words a missing bucket and a missing object alike ("notFound"): only the
    // client's buckets.get (ctx.bucket_missing) or a bucket-level call tells them apart,
    // never a word in the message.
    auto worded = gcs_error(404, doc(404, "notFound", "The specified bucket does not exist."), ctx);
    BOOST_TEST(worded.code() == "NotFound");
    BOOST_TEST((worded.why() == kb::reason::object_missing));
    auto probed = ctx;
    probed.bucket_missing = true;
    auto nb = gcs_error(404, doc(404, "notFound", "No such object: backups/prod/seg-1.kb"), probed);
    BOOST_TEST(nb.code() == "NoSuchBucket");
    BOOST_TEST((nb.why() == kb::reason::bucket_missing));
    BOOST_TEST(has(nb, "bucket 'backups' does not exist"));
    const error_context list_ctx{"objects.list", "backups", "", "http://127.0.0.1:55000"};
    BOOST_TEST((gcs_error(404, "Not Found", list_ctx).why() == kb::reason::bucket_missing));
    auto pre = gcs_error(412,
                         doc(412, "conditionNotMet",
                             "At least one of the pre-conditions you specified did not hold."),
                         ctx);
    BOOST_TEST(pre.code() == "PreconditionFailed");
    BOOST_TEST((pre.cls() == error_class::fatal));
    BOOST_TEST(has(pre, "already exists"));
    auto denied =
        gcs_error(403, doc(403, "forbidden", "kb@p does not have storage.objects.get"), ctx);
    BOOST_TEST((denied.cls() == error_class::auth));
    BOOST_TEST(has(denied, "GOOGLE_APPLICATION_CREDENTIALS"));
    auto slow = gcs_error(429, doc(429, "rateLimitExceeded", "slow down"), ctx);
    BOOST_TEST((slow.cls() == error_class::retryable));
    BOOST_TEST(slow.code() == "SlowDown");
    // A plain-text body (the emulator's habit) still reaches the message.
    auto plain = gcs_error(400, "invalid Content-Range: bytes x\n", ctx);
    BOOST_TEST((plain.cls() == error_class::fatal));
    BOOST_TEST(has(plain, "invalid Content-Range"));
}

BOOST_AUTO_TEST_CASE(transport_failures) {
    BOOST_TEST((transport_error(boost::asio::error::connection_refused, ctx).cls() ==
                error_class::retryable));
    BOOST_TEST(
        (transport_error(boost::beast::error::timeout, ctx).cls() == error_class::retryable));
    BOOST_TEST(
        (transport_error(boost::asio::error::host_not_found, ctx).cls() == error_class::fatal));
    BOOST_TEST(
        (transport_error(boost::beast::http::error::body_limit, ctx).cls() == error_class::fatal));
    // An unreachable store names GCS's own endpoint settings, not S3's.
    auto refused = transport_error(boost::asio::error::connection_refused, ctx);
    BOOST_TEST(has(refused, "GCS objects.get gs://backups/prod/seg-1.kb"));
    BOOST_TEST(has(refused, "STORAGE_EMULATOR_HOST"));
    BOOST_TEST(!has(refused, "AWS_"));
}

// The reasons callers act on match S3's and the filesystem's.
BOOST_AUTO_TEST_CASE(reasons_match_the_other_backends) {
    using kb::reason;
    auto object = gcs_error(404, doc(404, "notFound", "No such object: backups/x"), ctx);
    BOOST_TEST((object.why() == reason::object_missing));
    auto probed = ctx;
    probed.bucket_missing = true;
    auto bucket = gcs_error(404, doc(404, "notFound", "No such object: backups/x"), probed);
    BOOST_TEST((bucket.why() == reason::bucket_missing));
    BOOST_TEST(
        (gcs_error(403, doc(403, "forbidden", "no"), ctx).why() == reason::credentials_rejected));
    BOOST_TEST((gcs_error(503, doc(503, "backendError", "No such object"), ctx).why() ==
                reason::unspecified));
    BOOST_TEST(
        (transport_error(boost::beast::error::timeout, ctx).why() == reason::store_unreachable));
}

BOOST_AUTO_TEST_SUITE_END()
