#pragma once
// Evidence signatures, compatible with OSO kafka-backup's `.sig` files:
//
//   -----BEGIN KAFKA BACKUP EVIDENCE SIGNATURE-----
//   Algorithm: ECDSA-P256-SHA256
//   Report-ID: validation-<uuid>
//   Report-SHA256: <hex SHA-256 of the report bytes>
//   Signature: <base64 of the 64-byte r||s ECDSA P-256 signature over the report bytes>
//   -----END KAFKA BACKUP EVIDENCE SIGNATURE-----
//
// Keys are the operator's PEM files (private: PKCS#8 or SEC1; public: SPKI), read
// with OpenSSL. Pure functions, no I/O beyond what the caller passes in.

#include <string>
#include <string_view>

namespace kb::validation {

inline constexpr const char* signature_algorithm = "ECDSA-P256-SHA256";

struct signature_bundle {
    std::string algorithm = signature_algorithm;
    std::string report_id;
    std::string report_sha256;  // lowercase hex
    std::string signature;      // base64 of r||s
};

std::string sha256_hex(std::string_view bytes);

// Signs `report` with the PEM private key text. Throws kb::error(fatal,
// "InvalidSigningKey") naming what is wrong with the key (not EC, not P-256, ...).
signature_bundle sign_report(std::string_view report, std::string_view private_key_pem,
                             std::string report_id);
// True when `bundle.signature` is a valid signature of `report` by the PEM public key.
// Throws kb::error(fatal, "InvalidPublicKey") for an unreadable key.
bool verify_signature(std::string_view report, const signature_bundle& bundle,
                      std::string_view public_key_pem);

std::string to_sig_file(const signature_bundle& b);
// Throws kb::error(fatal, "InvalidSignatureFile") when there is no Signature line.
signature_bundle parse_sig_file(std::string_view text);

}  // namespace kb::validation
