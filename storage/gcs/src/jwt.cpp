#include <kb/storage/gcs/jwt.hpp>

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <memory>
#include <vector>

namespace kb::storage::gcs {
namespace {

[[noreturn]] void invalid(const std::string& why) {
    throw kb::error(error_class::auth, "InvalidCredentials", why);
}

std::string field(const nlohmann::json& j, const char* name, const std::string& origin) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
        invalid(fmt::format("credentials file {} has no \"{}\" field", origin, name));
    return it->get<std::string>();
}

std::string optional_field(const nlohmann::json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

pkey_ptr load_private_key(const std::string& pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    pkey_ptr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr,
                 &EVP_PKEY_free);
    if (!key) invalid("the service account's private_key is not a PEM private key");
    return key;
}

std::vector<std::byte> sign_rs256(const std::string& pem, std::string_view data) {
    auto key = load_private_key(pem);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t len = 0;
    auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, bytes, data.size()) != 1)
        invalid("the service account's private_key cannot sign (not an RSA key?)");
    std::vector<std::byte> sig(len);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes,
                       data.size()) != 1)
        invalid("signing the token request with the service account's private_key failed");
    sig.resize(len);
    return sig;
}

std::string form_encode(std::string_view s) {
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += ch;
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

}  // namespace

google_credentials parse_credentials(std::string_view json, const std::string& origin) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        invalid(fmt::format("credentials file {} is not a JSON object", origin));
    google_credentials c;
    c.type = field(j, "type", origin);
    if (auto uri = optional_field(j, "token_uri"); !uri.empty()) c.token_uri = uri;
    if (c.type == "service_account") {
        c.client_email = field(j, "client_email", origin);
        c.private_key_pem = field(j, "private_key", origin);
        c.private_key_id = optional_field(j, "private_key_id");
    } else if (c.type == "authorized_user") {
        c.client_id = field(j, "client_id", origin);
        c.client_secret = field(j, "client_secret", origin);
        c.refresh_token = field(j, "refresh_token", origin);
    } else {
        invalid(
            fmt::format("credentials file {} has type \"{}\"; only service_account and "
                        "authorized_user keys are supported",
                        origin, c.type));
    }
    return c;
}

std::string base64url(std::span<const std::byte> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (auto& ch : out) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
    return out;
}

std::string base64url(std::string_view text) {
    return base64url(std::as_bytes(std::span(text.data(), text.size())));
}

std::string make_jwt_assertion(const google_credentials& c, std::string_view scope,
                               std::chrono::system_clock::time_point now) {
    auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
    if (!c.private_key_id.empty()) header["kid"] = c.private_key_id;
    nlohmann::json claims = {{"iss", c.client_email},
                             {"scope", std::string(scope)},
                             {"aud", c.token_uri},
                             {"iat", iat},
                             {"exp", iat + 3600}};
    auto signing_input = base64url(header.dump()) + "." + base64url(claims.dump());
    auto sig = sign_rs256(c.private_key_pem, signing_input);
    return signing_input + "." + base64url(std::span<const std::byte>(sig));
}

std::string token_request_body(const google_credentials& c, std::string_view scope,
                               std::chrono::system_clock::time_point now) {
    if (c.type == "authorized_user")
        return "grant_type=refresh_token&client_id=" + form_encode(c.client_id) +
               "&client_secret=" + form_encode(c.client_secret) +
               "&refresh_token=" + form_encode(c.refresh_token);
    return "grant_type=" + form_encode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
           "&assertion=" + make_jwt_assertion(c, scope, now);
}

access_token parse_token_response(std::string_view json) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("access_token") ||
        !j["access_token"].is_string())
        throw kb::error(error_class::auth, "InvalidTokenResponse",
                        "the OAuth2 token endpoint answered without an access_token");
    access_token t{j["access_token"].get<std::string>(), std::chrono::seconds(3600)};
    if (auto it = j.find("expires_in"); it != j.end() && it->is_number_integer())
        t.expires_in = std::chrono::seconds(it->get<long long>());
    return t;
}

}  // namespace kb::storage::gcs
