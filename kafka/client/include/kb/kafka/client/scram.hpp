#pragma once
// scram_client: the client side of SCRAM (RFC 5802, RFC 7677) as Kafka uses it.
//
// Pure message building and checking, no I/O, so it is tested against the RFCs'
// example exchanges. One object per authentication attempt:
//   client_first() -> send; client_final(server_first) -> send;
//   verify_server_final(server_final) -> throws when the server cannot prove
//   it knows the password. Kafka sends no channel binding ("n,,").

#include <string>
#include <string_view>

namespace kb::kafka::client {

enum class scram_hash { sha1, sha256, sha512 };  // sha1 only for the RFC 5802 test vector

class scram_client {
  public:
    // `nonce` is the client nonce; empty = 24 random bytes, base64-encoded.
    scram_client(scram_hash hash, std::string username, std::string password,
                 std::string nonce = {});

    std::string client_first() const;
    // Throws kb::error(auth, "SASL_AUTHENTICATION_FAILED") on a malformed or hostile
    // server-first message (nonce not extending ours, iteration count too low).
    std::string client_final(std::string_view server_first);
    // Throws kb::error(auth, ...) when the server signature does not match or the
    // server reports an error ("e=...").
    void verify_server_final(std::string_view server_final) const;

  private:
    std::string client_first_bare() const;

    scram_hash hash_;
    std::string username_;
    std::string password_;
    std::string nonce_;
    std::string expected_server_signature_;  // base64, set by client_final()
};

// Exposed for tests: "=" -> "=3D", "," -> "=2C" (RFC 5802 saslname).
std::string scram_escape_username(std::string_view name);
std::string base64_encode(std::string_view bytes);
// Throws kb::error(auth, ...) on invalid input.
std::string base64_decode(std::string_view text);

}  // namespace kb::kafka::client
