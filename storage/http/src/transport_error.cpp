#include <kb/storage/http/transport_error.hpp>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace kb::storage::http {
namespace {

bool is_certificate_failure(const boost::system::error_code& ec) {
    if (ec.category() != boost::asio::error::get_ssl_category()) return false;
    return ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
           SSL_R_CERTIFICATE_VERIFY_FAILED;
}

}  // namespace

kb::error transport_error(const boost::system::error_code& ec, std::string_view where,
                          const transport_hints& hints) {
    if (is_certificate_failure(ec))
        return kb::error(error_class::fatal, "TLSVerifyFailed",
                         fmt::format("{}: the server's TLS certificate did not verify ({}); set "
                                     "{} to the CA that signed it",
                                     where, ec.message(), hints.ca_setting));
    if (ec == boost::beast::http::error::body_limit)
        return kb::error(
            error_class::fatal, "ResponseTooLarge",
            fmt::format("{}: the response is larger than the configured limit", where));
    if (ec == boost::asio::error::host_not_found)
        return kb::error(error_class::fatal, "EndpointUnresolvable",
                         fmt::format("{}: the host name does not resolve ({}); check {} and the "
                                     "network",
                                     where, ec.message(), hints.endpoint_setting));
    if (ec == boost::beast::error::timeout)
        return kb::error(error_class::retryable, "Timeout",
                         fmt::format("{}: no complete response before the request deadline "
                                     "(is the store up? endpoint from {})",
                                     where, hints.endpoint_setting),
                         reason::store_unreachable);
    return kb::error(error_class::retryable, "Transport",
                     fmt::format("{}: {} (is the store up? endpoint from {})", where, ec.message(),
                                 hints.endpoint_setting),
                     reason::store_unreachable);
}

}  // namespace kb::storage::http
