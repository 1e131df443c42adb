#include <kb/kafka/client/scram.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <stdexcept>

namespace kb::kafka::client {
namespace {

// Kafka's brokers refuse fewer than 4096 iterations; so do we, against a downgrade.
constexpr int min_iterations = 4096;
constexpr int max_iterations = 1'000'000;

[[noreturn]] void fail(const std::string& message) {
    throw kb::error(error_class::auth, "SASL_AUTHENTICATION_FAILED", message, reason::sasl_failed);
}

const EVP_MD* digest(scram_hash h) {
    switch (h) {
        case scram_hash::sha1:
            return EVP_sha1();
        case scram_hash::sha256:
            return EVP_sha256();
        case scram_hash::sha512:
            return EVP_sha512();
    }
    return EVP_sha256();
}

std::string hmac(scram_hash h, std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned len = 0;
    if (!HMAC(digest(h), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len))
        fail("SCRAM: HMAC failed in OpenSSL");
    return {reinterpret_cast<const char*>(out.data()), len};
}

std::string hash_of(scram_hash h, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned len = 0;
    if (!EVP_Digest(data.data(), data.size(), out.data(), &len, digest(h), nullptr))
        fail("SCRAM: digest failed in OpenSSL");
    return {reinterpret_cast<const char*>(out.data()), len};
}

std::string salted_password(scram_hash h, std::string_view password, std::string_view salt,
                            int iterations) {
    std::string out(static_cast<std::size_t>(EVP_MD_get_size(digest(h))), '\0');
    if (!PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                           reinterpret_cast<const unsigned char*>(salt.data()),
                           static_cast<int>(salt.size()), iterations, digest(h),
                           static_cast<int>(out.size()),
                           reinterpret_cast<unsigned char*>(out.data())))
        fail("SCRAM: PBKDF2 failed in OpenSSL");
    return out;
}

std::string xor_of(std::string a, std::string_view b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        a[i] = static_cast<char>(a[i] ^ b[i]);
    return a;
}

std::string random_nonce() {
    std::array<unsigned char, 24> raw{};
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
        fail("SCRAM: no random bytes from OpenSSL for the nonce");
    return base64_encode({reinterpret_cast<const char*>(raw.data()), raw.size()});
}

// Attributes of a server message: "r=...,s=...,i=..." -> the value after "<key>=".
std::string_view attribute(std::string_view message, char key) {
    std::size_t pos = 0;
    while (pos <= message.size()) {
        auto end = message.find(',', pos);
        if (end == std::string_view::npos) end = message.size();
        auto field = message.substr(pos, end - pos);
        if (field.size() >= 2 && field[0] == key && field[1] == '=') return field.substr(2);
        pos = end + 1;
    }
    return {};
}

int parse_iterations(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size())
        fail(fmt::format("SCRAM: server sent an invalid iteration count '{}'", text));
    if (value < min_iterations || value > max_iterations)
        fail(fmt::format("SCRAM: server asked for {} iterations (allowed {}..{})", value,
                         min_iterations, max_iterations));
    return value;
}

}  // namespace

scram_client::scram_client(scram_hash hash, std::string username, std::string password,
                           std::string nonce)
    : hash_(hash),
      username_(std::move(username)),
      password_(std::move(password)),
      nonce_(nonce.empty() ? random_nonce() : std::move(nonce)) {}

std::string scram_client::client_first_bare() const {
    return "n=" + scram_escape_username(username_) + ",r=" + nonce_;
}

std::string scram_client::client_first() const {
    return "n,," + client_first_bare();
}

std::string scram_client::client_final(std::string_view server_first) {
    if (auto e = attribute(server_first, 'e'); !e.empty())
        fail(fmt::format("SCRAM: server refused the first message: {}", e));
    auto nonce = attribute(server_first, 'r');
    auto salt = base64_decode(attribute(server_first, 's'));
    if (nonce.size() <= nonce_.size() || nonce.substr(0, nonce_.size()) != nonce_)
        fail("SCRAM: server nonce does not extend the client nonce");
    if (salt.empty()) fail("SCRAM: server sent no salt");
    int iterations = parse_iterations(attribute(server_first, 'i'));

    // "biws" is base64("n,,"): no channel binding, no authzid.
    std::string without_proof = "c=biws,r=" + std::string(nonce);
    std::string auth_message =
        client_first_bare() + "," + std::string(server_first) + "," + without_proof;
    auto salted = salted_password(hash_, password_, salt, iterations);
    auto client_key = hmac(hash_, salted, "Client Key");
    auto stored_key = hash_of(hash_, client_key);
    auto proof = xor_of(client_key, hmac(hash_, stored_key, auth_message));
    auto server_key = hmac(hash_, salted, "Server Key");
    expected_server_signature_ = base64_encode(hmac(hash_, server_key, auth_message));
    return without_proof + ",p=" + base64_encode(proof);
}

void scram_client::verify_server_final(std::string_view server_final) const {
    if (auto e = attribute(server_final, 'e'); !e.empty())
        fail(fmt::format("SCRAM: server rejected the credentials of user '{}': {}", username_, e));
    if (expected_server_signature_.empty()) fail("SCRAM: server-final before client-final");
    if (attribute(server_final, 'v') != expected_server_signature_)
        fail("SCRAM: the server's signature is wrong (it does not know the password)");
}

std::string scram_escape_username(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '=')
            out += "=3D";
        else if (c == ',')
            out += "=2C";
        else
            out += c;
    }
    return out;
}

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) fail(fmt::format("SCRAM: invalid base64 '{}'", text));
    std::string out(3 * text.size() / 4, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0) fail(fmt::format("SCRAM: invalid base64 '{}'", text));
    // EVP_DecodeBlock keeps the zero bytes that stand for '=' padding; drop them.
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

}  // namespace kb::kafka::client
