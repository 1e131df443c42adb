#pragma once
// One classification of transport failures (socket, TLS, HTTP parser) for every
// HTTP object-store backend. The backends differ only in which settings a user
// fixes, so they pass those as hints; their status/code tables stay their own.

#include <kb/runtime/error.hpp>

#include <boost/system/error_code.hpp>

#include <string_view>

namespace kb::storage::http {

// The settings named in advice, as the user writes them.
struct transport_hints {
    // Where the trusted CA is set, e.g. "storage.ca_file".
    std::string_view ca_setting;
    // Where the endpoint comes from, e.g. "storage.endpoint, endpoint= in --path or
    // AWS_ENDPOINT_URL".
    std::string_view endpoint_setting;
};

// `where` names the request ("S3 PUT s3://b/k at http://host:9000").
// A certificate failure (TLSVerifyFailed), an oversized response (ResponseTooLarge)
// and an unresolvable host (EndpointUnresolvable: NXDOMAIN is an answer, no retry
// makes the name resolve) are fatal. A timeout (Timeout) and anything else
// (Transport: reset, refused, ...) are retryable with reason store_unreachable,
// and their message names the endpoint setting, so advice needs no backend.
kb::error transport_error(const boost::system::error_code& ec, std::string_view where,
                          const transport_hints& hints);

}  // namespace kb::storage::http
