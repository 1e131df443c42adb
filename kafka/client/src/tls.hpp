#pragma once
// Building the OpenSSL context shared by every TLS connection of one cluster.

#include <kb/kafka/client/config.hpp>

#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace kb::kafka::client::detail {

// Loads the CA file (or the system defaults), the client certificate and key (PEM)
// or the PKCS#12 keystore. Throws kb::error(fatal, "TLS_CONFIG", ...) naming the
// file and OpenSSL's reason.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const tls_config& tls);

// OpenSSL's queued error reasons, joined, for messages.
std::string openssl_errors();

}  // namespace kb::kafka::client::detail
