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

// The few conditions a caller acts on, set where a failure is classified (the S3 and
// filesystem backends, the Kafka client, the backup format). Callers test these and
// never the text of error::code(), which stays the backend's own word for logs and
// advice, nor the message.
enum class reason : unsigned char {
    unspecified,           // nothing a caller acts on beyond the class
    object_missing,        // no object under that key: S3 NoSuchKey or a bare 404, ENOENT
    bucket_missing,        // S3 NoSuchBucket
    upload_missing,        // a multipart upload the store no longer knows (completed/aborted)
    credentials_rejected,  // the object store refused the access key or signature
    store_unreachable,     // the object store did not answer (transport failure, timeout)
    disk_full,             // ENOSPC, EDQUOT
    backup_locked,         // another process holds the lease of a backup or a restore
    segment_corrupt,       // a segment's bytes contradict its framing or checksum
    segment_truncated,     // a segment ends before its framing says it does
    broker_unreachable,    // no Kafka broker answered
    topic_unknown,         // Kafka UNKNOWN_TOPIC_OR_PARTITION
    group_active,          // a consumer group has members (Kafka NON_EMPTY_GROUP or our check)
    sasl_failed,           // Kafka SASL authentication failed
};

const char* to_string(reason r);

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

// An exception that carries its class, the condition callers act on (reason), a
// machine-readable code from the backend (e.g. S3 "NoSuchBucket", Kafka
// "TOPIC_AUTHORIZATION_FAILED") for people and logs, and a human message.
class error : public std::runtime_error {
  public:
    error(error_class cls, std::string code, const std::string& message,
          reason why = reason::unspecified)
        : std::runtime_error(message), cls_(cls), why_(why), code_(std::move(code)) {}
    error_class cls() const noexcept { return cls_; }
    reason why() const noexcept { return why_; }
    const std::string& code() const noexcept { return code_; }

  private:
    error_class cls_;
    reason why_;
    std::string code_;
};

// The reason of a kb::error; reason::unspecified for any other exception.
reason reason_of(const std::exception& e) noexcept;
reason reason_of(const std::exception_ptr& e) noexcept;

// Classifies any exception: kb::error keeps its class; system errors from sockets
// and timers map to retryable or cancelled; everything else is fatal.
error_class classify(const std::exception_ptr& e) noexcept;
error_class classify(const std::error_code& ec) noexcept;

// The one test for cancellation, whatever form it arrived in (Asio's
// operation_aborted, std::errc::operation_canceled, a kb::error of class
// cancelled, or the error_code of a completion handler). Cancellation is never retried, never
// counted as a failure and never reported as corruption: callers rethrow it.
bool is_cancellation(const std::exception_ptr& e) noexcept;
bool is_cancellation(const std::exception& e) noexcept;
bool is_cancellation(const boost::system::error_code& ec) noexcept;

// One line describing an exception, for logs and the CLI's error line.
std::string describe(const std::exception_ptr& e);

}  // namespace kb

template <>
struct std::is_error_code_enum<kb::errc> : std::true_type {};
