#pragma once
// Google service-account credentials and the signed JWT that trades them for an
// OAuth2 access token (RFC 7523 "JWT bearer" grant, RS256). Pure functions:
// no clock, no I/O; the caller passes `now`.

#include <chrono>
#include <span>
#include <string>
#include <string_view>

namespace kb::storage::gcs {

inline constexpr std::string_view default_token_uri = "https://oauth2.googleapis.com/token";
inline constexpr std::string_view storage_scope =
    "https://www.googleapis.com/auth/devstorage.read_write";

// A JSON key file: "service_account" (a private key) or "authorized_user"
// (gcloud's application default credentials: a refresh token).
struct google_credentials {
    std::string type;  // "service_account" | "authorized_user"
    std::string client_email;
    std::string private_key_pem;
    std::string private_key_id;
    std::string client_id;
    std::string client_secret;
    std::string refresh_token;
    std::string token_uri = std::string(default_token_uri);
};

// Parses a key file's text; `origin` names it in errors. Throws kb::error(auth,
// "InvalidCredentials") naming the missing field, never a secret.
google_credentials parse_credentials(std::string_view json, const std::string& origin);

// base64url without padding (RFC 7515).
std::string base64url(std::span<const std::byte> bytes);
std::string base64url(std::string_view text);

// header.claims.signature, signed RS256 with the key's private key. Claims: iss =
// client_email, scope, aud = token_uri, iat = now, exp = now + 1 h.
// Throws kb::error(auth, "InvalidCredentials") when the key does not load.
std::string make_jwt_assertion(const google_credentials& c, std::string_view scope,
                               std::chrono::system_clock::time_point now);

// The form body for the token endpoint: the JWT bearer grant for a service
// account, the refresh-token grant for an authorized user.
std::string token_request_body(const google_credentials& c, std::string_view scope,
                               std::chrono::system_clock::time_point now);

struct access_token {
    std::string token;
    std::chrono::seconds expires_in{0};
};
// The token endpoint's JSON answer; throws kb::error(auth) when it has no token.
access_token parse_token_response(std::string_view json);

}  // namespace kb::storage::gcs
