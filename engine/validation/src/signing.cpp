// ECDSA P-256 signatures over evidence reports, with OpenSSL 3.
#include <kb/runtime/error.hpp>
#include <kb/validation/signing.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fmt/format.h>

#include <memory>
#include <vector>

namespace kb::validation {
namespace {

template <class T, void (*Free)(T*)>
struct deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using sig_ptr = std::unique_ptr<ECDSA_SIG, deleter<ECDSA_SIG, ECDSA_SIG_free>>;
void bio_free(BIO* b) {
    BIO_free(b);
}
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, bio_free>>;

constexpr std::size_t coordinate_bytes = 32;  // P-256

[[noreturn]] void fail(const char* code, const std::string& message) {
    throw kb::error(error_class::fatal, code, message);
}

// The key must be an EC key on P-256, whatever the PEM wrapping.
void require_p256(EVP_PKEY* key, const char* code) {
    char group[64] = {};
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
        EVP_PKEY_get_group_name(key, group, sizeof group, nullptr) != 1 ||
        (std::string_view(group) != "prime256v1" && std::string_view(group) != "P-256"))
        fail(code, "the key is not an ECDSA P-256 (prime256v1) key");
}

pkey_ptr read_private(std::string_view pem) {
    bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) fail("InvalidSigningKey", "cannot read the PEM private key");
    require_p256(key.get(), "InvalidSigningKey");
    return key;
}

pkey_ptr read_public(std::string_view pem) {
    bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    pkey_ptr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key) fail("InvalidPublicKey", "cannot read the PEM public key");
    require_p256(key.get(), "InvalidPublicKey");
    return key;
}

std::string base64(const std::vector<unsigned char>& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// Standard base64 with padding; nullopt-like empty result for bad input.
std::vector<unsigned char> unbase64(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return {};
    std::vector<unsigned char> out(text.size() / 4 * 3);
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0) return {};
    std::size_t pad = (text.back() == '=') + (text.size() > 1 && text[text.size() - 2] == '=');
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

// DER (what OpenSSL produces) -> r||s (what OSO's p256 crate writes).
std::vector<unsigned char> der_to_raw(const std::vector<unsigned char>& der) {
    const unsigned char* p = der.data();
    sig_ptr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig) fail("SigningFailed", "OpenSSL returned an unreadable signature");
    std::vector<unsigned char> raw(2 * coordinate_bytes);
    BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), coordinate_bytes);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + coordinate_bytes, coordinate_bytes);
    return raw;
}

// r||s -> DER; empty when `raw` is not 64 bytes.
std::vector<unsigned char> raw_to_der(const std::vector<unsigned char>& raw) {
    if (raw.size() != 2 * coordinate_bytes) return {};
    sig_ptr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw.data(), coordinate_bytes, nullptr);
    BIGNUM* s = BN_bin2bn(raw.data() + coordinate_bytes, coordinate_bytes, nullptr);
    ECDSA_SIG_set0(sig.get(), r, s);
    int n = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (n <= 0) return {};
    std::vector<unsigned char> der(static_cast<std::size_t>(n));
    unsigned char* p = der.data();
    i2d_ECDSA_SIG(sig.get(), &p);
    return der;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_sha256(), nullptr);
    std::string out;
    for (unsigned int i = 0; i < n; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
}

signature_bundle sign_report(std::string_view report, std::string_view private_key_pem,
                             std::string report_id) {
    auto key = read_private(private_key_pem);
    md_ctx_ptr ctx(EVP_MD_CTX_new());
    std::size_t len = 0;
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(report.data()), report.size()) != 1)
        fail("SigningFailed", "OpenSSL could not sign the report");
    std::vector<unsigned char> der(len);
    if (EVP_DigestSign(ctx.get(), der.data(), &len,
                       reinterpret_cast<const unsigned char*>(report.data()), report.size()) != 1)
        fail("SigningFailed", "OpenSSL could not sign the report");
    der.resize(len);
    return {signature_algorithm, std::move(report_id), sha256_hex(report), base64(der_to_raw(der))};
}

bool verify_signature(std::string_view report, const signature_bundle& bundle,
                      std::string_view public_key_pem) {
    auto key = read_public(public_key_pem);
    auto der = raw_to_der(unbase64(bundle.signature));
    if (der.empty()) return false;
    md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), der.data(), der.size(),
                            reinterpret_cast<const unsigned char*>(report.data()),
                            report.size()) == 1;
}

std::string to_sig_file(const signature_bundle& b) {
    return fmt::format(
        "-----BEGIN KAFKA BACKUP EVIDENCE SIGNATURE-----\n"
        "Algorithm: {}\nReport-ID: {}\nReport-SHA256: {}\nSignature: {}\n"
        "-----END KAFKA BACKUP EVIDENCE SIGNATURE-----\n",
        b.algorithm, b.report_id, b.report_sha256, b.signature);
}

signature_bundle parse_sig_file(std::string_view text) {
    signature_bundle b;
    b.algorithm.clear();
    auto value = [](std::string_view line, std::string_view prefix, std::string& out) {
        if (line.starts_with(prefix)) out = std::string(line.substr(prefix.size()));
    };
    while (!text.empty()) {
        auto eol = text.find('\n');
        auto line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        value(line, "Algorithm: ", b.algorithm);
        value(line, "Report-ID: ", b.report_id);
        value(line, "Report-SHA256: ", b.report_sha256);
        value(line, "Signature: ", b.signature);
    }
    if (b.signature.empty())
        fail("InvalidSignatureFile", "not an evidence signature file: no 'Signature:' line");
    return b;
}

}  // namespace kb::validation
