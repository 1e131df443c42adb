// SCRAM against the example exchanges published in the RFCs.
#include <kb/kafka/client/scram.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::kafka::client;

BOOST_AUTO_TEST_SUITE(scram)

// RFC 7677 section 3: user "user", password "pencil", SCRAM-SHA-256.
BOOST_AUTO_TEST_CASE(rfc7677_sha256_exchange) {
    scram_client c(scram_hash::sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
    BOOST_TEST(c.client_first() == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    const std::string server_first =
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    BOOST_TEST(c.client_final(server_first) ==
               "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
               "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    BOOST_CHECK_NO_THROW(c.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
}

// RFC 5802 section 5: the same algorithm with SHA-1.
BOOST_AUTO_TEST_CASE(rfc5802_sha1_exchange) {
    scram_client c(scram_hash::sha1, "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");
    BOOST_TEST(c.client_first() == "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
    BOOST_TEST(
        c.client_final("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
                       "i=4096") ==
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
    BOOST_CHECK_NO_THROW(c.verify_server_final("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="));
}

BOOST_AUTO_TEST_CASE(wrong_server_signature_is_an_auth_error) {
    scram_client c(scram_hash::sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
    c.client_final(
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    try {
        c.verify_server_final("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        BOOST_FAIL("a forged server signature was accepted");
    } catch (const kb::error& e) {
        BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::auth));
        BOOST_TEST(e.code() == "SASL_AUTHENTICATION_FAILED");
    }
}

BOOST_AUTO_TEST_CASE(server_error_attribute_is_reported) {
    scram_client c(scram_hash::sha512, "bob", "pw", "abc");
    c.client_final("r=abcdef,s=QSXCR+Q6sek8bf92,i=4096");
    BOOST_CHECK_EXCEPTION(
        c.verify_server_final("e=invalid-proof"), kb::error, [](const kb::error& e) {
            return std::string(e.what()).find("invalid-proof") != std::string::npos &&
                   std::string(e.what()).find("bob") != std::string::npos;
        });
}

BOOST_AUTO_TEST_CASE(hostile_server_first_is_refused) {
    scram_client c(scram_hash::sha256, "user", "pencil", "clientnonce");
    // The server nonce must extend ours.
    BOOST_CHECK_THROW(c.client_final("r=othernonce123,s=QSXCR+Q6sek8bf92,i=4096"), kb::error);
    // Too few iterations would make an offline attack cheap.
    BOOST_CHECK_THROW(c.client_final("r=clientnonceXYZ,s=QSXCR+Q6sek8bf92,i=1"), kb::error);
    BOOST_CHECK_THROW(c.client_final("r=clientnonceXYZ,s=QSXCR+Q6sek8bf92,i=abc"), kb::error);
    BOOST_CHECK_THROW(c.client_final("r=clientnonceXYZ,i=4096"), kb::error);
}

BOOST_AUTO_TEST_CASE(random_nonces_differ) {
    scram_client a(scram_hash::sha256, "u", "p");
    scram_client b(scram_hash::sha256, "u", "p");
    BOOST_TEST(a.client_first() != b.client_first());
    BOOST_TEST(a.client_first().size() > std::string("n,,n=u,r=").size() + 20);
}

BOOST_AUTO_TEST_CASE(username_escaping) {
    BOOST_TEST(scram_escape_username("a=b,c") == "a=3Db=2Cc");
    scram_client c(scram_hash::sha256, "x,y", "p", "n");
    BOOST_TEST(c.client_first() == "n,,n=x=2Cy,r=n");
}

BOOST_AUTO_TEST_CASE(base64_round_trip) {
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        BOOST_TEST(base64_decode(base64_encode(s)) == s);
    }
    BOOST_TEST(base64_encode("foobar") == "Zm9vYmFy");
    BOOST_TEST(base64_encode("fo") == "Zm8=");
    BOOST_CHECK_THROW(base64_decode("abc"), kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
