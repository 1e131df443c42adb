#pragma once
// Classified errors: every module edge reports failures as one of a few classes
// so callers decide what to do (retry, give up, tell the user to fix credentials).

#include <boost/system/error_code.hpp>

#include <exception>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <system_error>

namespace kb {

// What a caller should do about a failure.
enum class error_class {
    retryable,  // transient: timeouts, resets, 5xx, leader moved
    fatal,      // will not get better by retrying
    not_found,  // the thing asked for does not exist
    auth,       // credentials missing, wrong, or not allowed
    cancelled,  // shutdown or cancellation: never retried, never reported as a failure
};

const char* to_string(error_class c);
std::ostream& operator<<(std::ostream& os, error_class c);

// Expected, non-exceptional conditions and classified failures as error codes.
enum class errc {
    end_of_stream = 1,  // a channel was closed by its producer after the last value
    upstream_failed,    // a channel's producer failed; the receiver rethrows its error
    budget_exceeded,    // a request larger than a whole byte budget
    retries_exhausted,  // retry gave up (attempts or deadline)
    not_found,
    auth,
    fatal,
    retryable,
};

const std::error_category& kb_category() noexcept;
inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), kb_category()};
}

// Boost.Asio speaks boost::system::error_code; these bridge our errc to it.
boost::system::error_code to_boost(errc e) noexcept;
bool is(const boost::system::error_code& ec, errc e) noexcept;

// An exception that carries its class, a machine-readable code from the backend
// (e.g. S3 "NoSuchBucket", Kafka "TOPIC_AUTHORIZATION_FAILED") and a human message.
class error : public std::runtime_error {
  public:
    error(error_class cls, std::string code, const std::string& message)
        : std::runtime_error(message), cls_(cls), code_(std::move(code)) {}
    error_class cls() const noexcept { return cls_; }
    const std::string& code() const noexcept { return code_; }

  private:
    error_class cls_;
    std::string code_;
};

// Classifies any exception: kb::error keeps its class; system errors from sockets
// and timers map to retryable or cancelled; everything else is fatal.
error_class classify(const std::exception_ptr& e) noexcept;
error_class classify(const std::error_code& ec) noexcept;

// The one test for cancellation, whatever form it arrived in (Asio's
// operation_aborted, std::errc::operation_canceled, a kb::error of class
// cancelled). Cancellation is never retried, never counted as a failure and
// never reported as corruption: callers rethrow it.
bool is_cancellation(const std::exception_ptr& e) noexcept;
bool is_cancellation(const std::exception& e) noexcept;

// One line describing an exception, for logs and the CLI's error line.
std::string describe(const std::exception_ptr& e);

}  // namespace kb

template <>
struct std::is_error_code_enum<kb::errc> : std::true_type {};
