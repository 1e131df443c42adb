// The error model: a failure's class says what to do, its reason says which condition a
// caller may act on; neither is ever read from the code text or the message.
#include "test_util.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

using namespace std::chrono_literals;
namespace asio = boost::asio;

BOOST_AUTO_TEST_SUITE(error_model_suite)

BOOST_AUTO_TEST_CASE(the_reason_is_carried_not_guessed_from_text) {
    kb::error classified(kb::error_class::not_found, "NoSuchKey", "gone",
                         kb::reason::object_missing);
    BOOST_TEST((classified.why() == kb::reason::object_missing));
    BOOST_TEST((kb::reason_of(classified) == kb::reason::object_missing));
    BOOST_TEST((kb::reason_of(std::make_exception_ptr(classified)) == kb::reason::object_missing));
    // A code or message that merely reads like a condition is not that condition.
    kb::error lookalike(kb::error_class::fatal, "NotFound", "NoSuchKey NotFound BackupLocked");
    BOOST_TEST((lookalike.why() == kb::reason::unspecified));
    BOOST_TEST((kb::reason_of(std::runtime_error("NoSuchKey")) == kb::reason::unspecified));
    BOOST_TEST((kb::reason_of(std::exception_ptr{}) == kb::reason::unspecified));
}

BOOST_AUTO_TEST_CASE(every_reason_has_a_name) {
    BOOST_TEST(std::string(kb::to_string(kb::reason::object_missing)) == "object_missing");
    BOOST_TEST(std::string(kb::to_string(kb::reason::group_active)) == "group_active");
    BOOST_TEST(std::string(kb::to_string(kb::reason::sasl_failed)) == "sasl_failed");
}

BOOST_AUTO_TEST_CASE(cancellation_from_a_completion_handler_error_code) {
    BOOST_TEST(kb::is_cancellation(boost::system::error_code(asio::error::operation_aborted)));
    BOOST_TEST(kb::is_cancellation(boost::system::error_code(
        boost::system::errc::make_error_code(boost::system::errc::operation_canceled))));
    BOOST_TEST(!kb::is_cancellation(boost::system::error_code{}));
    BOOST_TEST(!kb::is_cancellation(boost::system::error_code(asio::error::connection_reset)));
    BOOST_TEST(!kb::is_cancellation(boost::system::error_code(asio::error::timed_out)));
}

BOOST_AUTO_TEST_CASE(cancellation_is_classed_cancelled_never_retryable) {
    auto aborted =
        std::make_exception_ptr(boost::system::system_error(asio::error::operation_aborted));
    BOOST_TEST((kb::classify(aborted) == kb::error_class::cancelled));
    BOOST_TEST((kb::reason_of(aborted) == kb::reason::unspecified));
}

// An outage that outlasts the deadline keeps the reason of its last failure, so the
// CLI's advice ("check the brokers") still applies to the exhausted retry.
BOOST_AUTO_TEST_CASE(an_exhausted_retry_keeps_the_reason_of_the_last_failure) {
    asio::io_context io;
    kb::reason seen = kb::reason::unspecified;
    std::string code;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        kb::runtime::retry_policy p{.max_attempts = 2, .initial_backoff = 1ms, .max_backoff = 1ms};
        auto unreachable = []() -> asio::awaitable<void> {
            throw kb::error(kb::error_class::retryable, "BROKER_UNREACHABLE", "no broker",
                            kb::reason::broker_unreachable);
            co_return;
        };
        std::string what = "connect";  // named: no temporaries inside a co_await (GCC 12)
        try {
            co_await kb::runtime::retry(p, std::move(what), unreachable);
        } catch (const kb::retries_exhausted& e) {
            seen = e.why();
            code = e.code();
        }
    });
    BOOST_TEST((seen == kb::reason::broker_unreachable));
    BOOST_TEST(code == "BROKER_UNREACHABLE");
}

BOOST_AUTO_TEST_SUITE_END()
