#include <kb/runtime/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <ostream>

namespace kb {

const char* to_string(error_class c) {
    switch (c) {
        case error_class::retryable:
            return "retryable";
        case error_class::fatal:
            return "fatal";
        case error_class::not_found:
            return "not_found";
        case error_class::auth:
            return "auth";
        case error_class::cancelled:
            return "cancelled";
    }
    return "unknown";
}

std::ostream& operator<<(std::ostream& os, error_class c) {
    return os << to_string(c);
}

const char* to_string(reason r) {
    switch (r) {
        case reason::unspecified:
            return "unspecified";
        case reason::object_missing:
            return "object_missing";
        case reason::bucket_missing:
            return "bucket_missing";
        case reason::upload_missing:
            return "upload_missing";
        case reason::credentials_rejected:
            return "credentials_rejected";
        case reason::store_unreachable:
            return "store_unreachable";
        case reason::disk_full:
            return "disk_full";
        case reason::backup_locked:
            return "backup_locked";
        case reason::segment_corrupt:
            return "segment_corrupt";
        case reason::segment_truncated:
            return "segment_truncated";
        case reason::broker_unreachable:
            return "broker_unreachable";
        case reason::topic_unknown:
            return "topic_unknown";
        case reason::group_active:
            return "group_active";
        case reason::sasl_failed:
            return "sasl_failed";
    }
    return "unknown";
}

reason reason_of(const std::exception& e) noexcept {
    const auto* k = dynamic_cast<const error*>(&e);
    return k ? k->why() : reason::unspecified;
}

reason reason_of(const std::exception_ptr& e) noexcept {
    try {
        if (e) std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return reason_of(x);
    } catch (...) {
    }
    return reason::unspecified;
}

namespace {

class category final : public std::error_category {
  public:
    const char* name() const noexcept override { return "kb"; }
    std::string message(int v) const override {
        switch (static_cast<errc>(v)) {
            case errc::end_of_stream:
                return "end of stream";
            case errc::upstream_failed:
                return "upstream stage failed";
            case errc::budget_exceeded:
                return "request larger than the whole byte budget";
            case errc::retries_exhausted:
                return "retries exhausted";
            case errc::not_found:
                return "not found";
            case errc::auth:
                return "authentication or authorization failed";
            case errc::fatal:
                return "fatal error";
            case errc::retryable:
                return "transient error";
        }
        return "unknown kb error";
    }
};

// Socket and timer failures that a new connection or a later attempt may not see.
bool is_transient(const std::error_code& ec) {
    using std::errc;
    return ec == errc::connection_reset || ec == errc::connection_refused ||
           ec == errc::connection_aborted || ec == errc::timed_out || ec == errc::broken_pipe ||
           ec == errc::network_unreachable || ec == errc::host_unreachable ||
           ec == errc::not_connected || ec == errc::network_down;
}

}  // namespace

const std::error_category& kb_category() noexcept {
    static const category instance;
    return instance;
}

boost::system::error_code to_boost(errc e) noexcept {
    return make_error_code(e);
}

bool is(const boost::system::error_code& ec, errc e) noexcept {
    return ec == boost::system::error_code(make_error_code(e));
}

error_class classify(const std::error_code& ec) noexcept {
    if (ec == std::errc::operation_canceled) return error_class::cancelled;
    if (is_transient(ec)) return error_class::retryable;
    return error_class::fatal;
}

error_class classify(const std::exception_ptr& e) noexcept {
    try {
        std::rethrow_exception(e);
    } catch (const error& k) {
        return k.cls();
    } catch (const boost::system::system_error& s) {
        const auto& ec = s.code();
        if (is_cancellation(ec)) return error_class::cancelled;
        if (ec == boost::asio::error::eof || ec == boost::asio::error::timed_out)
            return error_class::retryable;
        return classify(std::error_code(ec));
    } catch (const std::system_error& s) {
        return classify(s.code());
    } catch (...) {
        return error_class::fatal;
    }
}

bool is_cancellation(const std::exception_ptr& e) noexcept {
    return e && classify(e) == error_class::cancelled;
}

bool is_cancellation(const std::exception& e) noexcept {
    if (const auto* k = dynamic_cast<const error*>(&e)) return k->cls() == error_class::cancelled;
    if (const auto* s = dynamic_cast<const boost::system::system_error*>(&e))
        return is_cancellation(s->code());
    if (const auto* s = dynamic_cast<const std::system_error*>(&e))
        return s->code() == std::errc::operation_canceled;
    return false;
}

bool is_cancellation(const boost::system::error_code& ec) noexcept {
    return ec == boost::asio::error::operation_aborted ||
           ec == boost::system::errc::operation_canceled;
}

std::string describe(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const boost::system::system_error& x) {
        // what() appends the Boost source location (a header path and a template
        // signature), which a user's error line must not carry.
        return x.code().message();
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
        return "unknown error";
    }
}

}  // namespace kb
