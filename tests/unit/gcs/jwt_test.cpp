// The service-account JWT: its signature verifies with OpenSSL against the key
// pair's public half, its claims are the ones Google's token endpoint needs,
// and the token request and answer are encoded as OAuth2 says.
#include <kb/runtime/error.hpp>
#include <kb/storage/gcs/jwt.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

using namespace kb::storage::gcs;

namespace {

using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

pkey_ptr new_rsa_key() {
    return pkey_ptr(EVP_RSA_gen(2048), &EVP_PKEY_free);
}

std::string private_pem(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    auto n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string unbase64url(std::string s) {
    for (auto& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (s.size() % 4) s += '=';
    std::vector<unsigned char> out(s.size());
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()),
                            static_cast<int>(s.size()));
    BOOST_REQUIRE(n >= 0);
    auto pad = std::count(s.end() - 2, s.end(), '=');
    return std::string(reinterpret_cast<char*>(out.data()), static_cast<std::size_t>(n - pad));
}

bool verify_rs256(EVP_PKEY* key, const std::string& input, const std::string& sig) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                            sig.size(), reinterpret_cast<const unsigned char*>(input.data()),
                            input.size()) == 1;
}

std::vector<std::string> split(const std::string& jwt) {
    auto a = jwt.find('.'), b = jwt.find('.', a + 1);
    return {jwt.substr(0, a), jwt.substr(a + 1, b - a - 1), jwt.substr(b + 1)};
}

google_credentials account(const std::string& pem) {
    google_credentials c;
    c.type = "service_account";
    c.client_email = "kb@proj.iam.gserviceaccount.com";
    c.private_key_pem = pem;
    c.private_key_id = "key-1";
    return c;
}

const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));

}  // namespace

BOOST_AUTO_TEST_SUITE(gcs_jwt)

BOOST_AUTO_TEST_CASE(signature_verifies_with_the_public_key) {
    auto key = new_rsa_key();
    auto jwt = make_jwt_assertion(account(private_pem(key.get())), storage_scope, now);
    auto parts = split(jwt);
    BOOST_TEST(verify_rs256(key.get(), parts[0] + "." + parts[1], unbase64url(parts[2])));
    // A different key pair does not verify it: the check can fail.
    auto other = new_rsa_key();
    BOOST_TEST(!verify_rs256(other.get(), parts[0] + "." + parts[1], unbase64url(parts[2])));
    // Nor does a changed claim.
    BOOST_TEST(!verify_rs256(key.get(), parts[0] + "." + parts[1] + "x", unbase64url(parts[2])));
}

BOOST_AUTO_TEST_CASE(header_and_claims) {
    auto key = new_rsa_key();
    auto parts = split(make_jwt_assertion(account(private_pem(key.get())), storage_scope, now));
    auto header = nlohmann::json::parse(unbase64url(parts[0]));
    BOOST_TEST(header["alg"] == "RS256");
    BOOST_TEST(header["typ"] == "JWT");
    BOOST_TEST(header["kid"] == "key-1");
    auto claims = nlohmann::json::parse(unbase64url(parts[1]));
    BOOST_TEST(claims["iss"] == "kb@proj.iam.gserviceaccount.com");
    BOOST_TEST(claims["scope"] == std::string(storage_scope));
    BOOST_TEST(claims["aud"] == "https://oauth2.googleapis.com/token");
    BOOST_TEST(claims["iat"].get<long long>() == 1'700'000'000);
    BOOST_TEST(claims["exp"].get<long long>() == 1'700'003'600);
    // base64url: no padding, no '+' or '/'.
    for (const auto& p : parts) BOOST_TEST(p.find_first_of("=+/") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(base64url_of_known_values) {
    BOOST_TEST(base64url(std::string_view("")) == "");
    BOOST_TEST(base64url(std::string_view("f")) == "Zg");
    BOOST_TEST(base64url(std::string_view("foob")) == "Zm9vYg");
    BOOST_TEST(base64url(std::string_view("\xfb\xff")) == "-_8");
}

BOOST_AUTO_TEST_CASE(parses_key_files) {
    auto sa =
        parse_credentials(R"({"type":"service_account","client_email":"a@b","private_key":"PEM",
        "private_key_id":"k","token_uri":"http://127.0.0.1:1/token"})",
                          "sa.json");
    BOOST_TEST(sa.client_email == "a@b");
    BOOST_TEST(sa.token_uri == "http://127.0.0.1:1/token");
    auto user = parse_credentials(
        R"({"type":"authorized_user","client_id":"id","client_secret":"s","refresh_token":"r"})",
        "adc.json");
    BOOST_TEST(user.token_uri == std::string(default_token_uri));
    auto missing = [] {
        parse_credentials(R"({"type":"service_account","client_email":"a"})", "sa.json");
    };
    BOOST_CHECK_EXCEPTION(missing(), kb::error, [](const kb::error& e) {
        return e.cls() == kb::error_class::auth &&
               std::string(e.what()).find("\"private_key\"") != std::string::npos;
    });
    BOOST_CHECK_THROW(parse_credentials("not json", "x"), kb::error);
    BOOST_CHECK_THROW(parse_credentials(R"({"type":"external_account"})", "x"), kb::error);
}

BOOST_AUTO_TEST_CASE(a_bad_private_key_is_an_auth_error_without_the_key) {
    auto c = account("-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n");
    BOOST_CHECK_EXCEPTION(make_jwt_assertion(c, storage_scope, now), kb::error,
                          [](const kb::error& e) {
                              return e.cls() == kb::error_class::auth &&
                                     std::string(e.what()).find("not-a-key") == std::string::npos;
                          });
}

BOOST_AUTO_TEST_CASE(token_request_and_answer) {
    google_credentials user{.type = "authorized_user",
                            .client_id = "id 1",
                            .client_secret = "s&t",
                            .refresh_token = "r/1"};
    BOOST_TEST(token_request_body(user, storage_scope, now) ==
               "grant_type=refresh_token&client_id=id%201&client_secret=s%26t&refresh_token=r%2F1");
    auto key = new_rsa_key();
    auto body = token_request_body(account(private_pem(key.get())), storage_scope, now);
    BOOST_TEST(body.starts_with(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey"));
    auto t = parse_token_response(
        R"({"access_token":"ya29.x","expires_in":1799,"token_type":"Bearer"})");
    BOOST_TEST(t.token == "ya29.x");
    BOOST_TEST(t.expires_in.count() == 1799);
    BOOST_CHECK_THROW(parse_token_response(R"({"error":"invalid_grant"})"), kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
