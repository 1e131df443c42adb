#include "tls.hpp"

#include <kb/runtime/error.hpp>

#include <fmt/core.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>

#include <cstdio>

namespace kb::kafka::client::detail {
namespace ssl = boost::asio::ssl;
namespace {

[[noreturn]] void fail(const std::string& message) {
    throw kb::error(error_class::fatal, "TLS_CONFIG", message);
}

struct p12_parts {
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509) * chain = nullptr;
    ~p12_parts() {
        EVP_PKEY_free(key);
        X509_free(cert);
        sk_X509_pop_free(chain, X509_free);
    }
};

bool parse_p12(const std::string& path, const std::string& password, p12_parts& out) {
    BIO* bio = BIO_new_file(path.c_str(), "rb");
    if (!bio) fail(fmt::format("cannot open PKCS#12 keystore '{}': {}", path, openssl_errors()));
    PKCS12* p12 = d2i_PKCS12_bio(bio, nullptr);
    BIO_free(bio);
    if (!p12) fail(fmt::format("'{}' is not a PKCS#12 keystore: {}", path, openssl_errors()));
    bool ok = PKCS12_parse(p12, password.c_str(), &out.key, &out.cert, &out.chain) == 1;
    PKCS12_free(p12);
    return ok;
}

// Keystores written by older Java keytools use RC2/3DES, which OpenSSL 3 keeps in
// its "legacy" provider; load it only when a keystore needs it.
void load_legacy_provider() {
    static bool loaded = [] {
        OSSL_PROVIDER_load(nullptr, "legacy");
        OSSL_PROVIDER_load(nullptr, "default");
        return true;
    }();
    (void)loaded;
}

void use_keystore(ssl::context& ctx, const tls_config& tls) {
    p12_parts parts;
    if (!parse_p12(tls.keystore_file, tls.keystore_password, parts)) {
        const auto reason = ERR_GET_REASON(ERR_peek_last_error());
        if (reason == PKCS12_R_MAC_VERIFY_FAILURE)
            fail(fmt::format("cannot read PKCS#12 keystore '{}': wrong keystore password",
                             tls.keystore_file));
        // Anything else may be an old cipher: retry with the legacy provider (loaded
        // once for the process, as OpenSSL providers are).
        ERR_clear_error();
        load_legacy_provider();
        if (!parse_p12(tls.keystore_file, tls.keystore_password, parts))
            fail(fmt::format("cannot read PKCS#12 keystore '{}' (wrong password?): {}",
                             tls.keystore_file, openssl_errors()));
    }
    SSL_CTX* native = ctx.native_handle();
    if (!parts.cert || !parts.key)
        fail(fmt::format("PKCS#12 keystore '{}' holds no certificate with a private key",
                         tls.keystore_file));
    if (SSL_CTX_use_certificate(native, parts.cert) != 1 ||
        SSL_CTX_use_PrivateKey(native, parts.key) != 1 || SSL_CTX_check_private_key(native) != 1)
        fail(fmt::format("PKCS#12 keystore '{}' has a key that does not match its certificate: {}",
                         tls.keystore_file, openssl_errors()));
    for (int i = 0; parts.chain && i < sk_X509_num(parts.chain); ++i)
        SSL_CTX_add1_chain_cert(native, sk_X509_value(parts.chain, i));
}

void use_pem_pair(ssl::context& ctx, const tls_config& tls) {
    boost::system::error_code ec;
    ctx.use_certificate_chain_file(tls.cert_file, ec);
    if (ec)
        fail(fmt::format("cannot load client certificate '{}': {}", tls.cert_file, ec.message()));
    if (!tls.key_password.empty()) {
        ctx.set_password_callback(
            [pw = tls.key_password](std::size_t, ssl::context::password_purpose) { return pw; });
    }
    ctx.use_private_key_file(tls.key_file, ssl::context::pem, ec);
    if (ec) fail(fmt::format("cannot load private key '{}': {}", tls.key_file, ec.message()));
}

}  // namespace

std::string openssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char text[256];
        ERR_error_string_n(e, text, sizeof text);
        if (!out.empty()) out += "; ";
        out += text;
    }
    return out.empty() ? "no OpenSSL detail" : out;
}

std::shared_ptr<ssl::context> make_tls_context(const tls_config& tls) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (tls.ca_file.empty())
        ctx->set_default_verify_paths(ec);
    else
        ctx->load_verify_file(tls.ca_file, ec);
    if (ec)
        fail(fmt::format("cannot load CA file '{}': {}",
                         tls.ca_file.empty() ? "<system default>" : tls.ca_file, ec.message()));
    ctx->set_verify_mode(ssl::verify_peer);
    if (!tls.keystore_file.empty()) use_keystore(*ctx, tls);
    if (!tls.cert_file.empty()) use_pem_pair(*ctx, tls);
    return ctx;
}

}  // namespace kb::kafka::client::detail
