// Parsing storage locations from the command line.
#include <kb/storage/location.hpp>
#include <kb/storage/open.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

using namespace kb::storage;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_location(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(parsed)";
}

bool mentions(const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(location_parsing)

BOOST_AUTO_TEST_CASE(plain_and_file_paths) {
    auto a = parse_location("/var/backups/");
    BOOST_TEST((a.kind == location::kind::filesystem));
    BOOST_TEST(a.path == "/var/backups");
    auto b = parse_location("file:///var/backups");
    BOOST_TEST((b.kind == location::kind::filesystem));
    BOOST_TEST(b.path == "/var/backups");
    BOOST_TEST(parse_location("relative/dir").path == "relative/dir");
    BOOST_TEST(parse_location("file:///with%20space").path == "/with space");
    BOOST_TEST(describe(b) == "/var/backups");
}

BOOST_AUTO_TEST_CASE(s3_url_with_every_query_key) {
    auto l = parse_location(
        "s3://my-bucket/some/prefix/?endpoint=http://127.0.0.1:9000&region=eu-west-1"
        "&path_style=true&allow_http=true&ca_file=/etc/ca.pem");
    BOOST_TEST((l.kind == location::kind::s3));
    BOOST_TEST(l.bucket == "my-bucket");
    BOOST_TEST(l.prefix == "some/prefix");
    BOOST_TEST(l.endpoint == "http://127.0.0.1:9000");
    BOOST_TEST(l.region == "eu-west-1");
    BOOST_TEST(l.path_style);
    BOOST_TEST(l.allow_http);
    BOOST_TEST(l.ca_file == "/etc/ca.pem");
    BOOST_TEST(describe(l) ==
               "s3://my-bucket/some/prefix (endpoint http://127.0.0.1:9000, region eu-west-1, "
               "path-style)");
}

BOOST_AUTO_TEST_CASE(s3_defaults_and_http_inference) {
    auto l = parse_location("s3://bucket");
    BOOST_TEST(l.prefix.empty());
    BOOST_TEST(l.region == "us-east-1");
    BOOST_TEST(!l.path_style);
    BOOST_TEST(!l.allow_http);
    // The example has no allow_http: an http:// endpoint implies it.
    auto m = parse_location("s3://bucket/p?endpoint=http%3A%2F%2F127.0.0.1%3A9000&path_style=true");
    BOOST_TEST(m.endpoint == "http://127.0.0.1:9000");
    BOOST_TEST(m.allow_http);
    BOOST_TEST(!parse_location("s3://bucket?endpoint=https://minio.local").allow_http);
}

BOOST_AUTO_TEST_CASE(gs_and_az_urls) {
    auto g = parse_location("gs://my-bucket/some/prefix?endpoint=http://127.0.0.1:55000");
    BOOST_TEST((g.kind == location::kind::gcs));
    BOOST_TEST(g.bucket == "my-bucket");
    BOOST_TEST(g.prefix == "some/prefix");
    BOOST_TEST(g.endpoint == "http://127.0.0.1:55000");
    BOOST_TEST(describe(g) == "gs://my-bucket/some/prefix (endpoint http://127.0.0.1:55000)");
    auto a = parse_location(
        "az://backups/prod/eu/?account=devstoreaccount1&endpoint=http://127.0.0.1:54000/");
    BOOST_TEST((a.kind == location::kind::azure));
    BOOST_TEST(a.container == "backups");
    BOOST_TEST(a.prefix == "prod/eu");
    BOOST_TEST(a.account == "devstoreaccount1");
    BOOST_TEST(a.endpoint == "http://127.0.0.1:54000");
    BOOST_TEST(a.allow_http);
    BOOST_TEST(describe(a) ==
               "az://backups/prod/eu (account devstoreaccount1, endpoint http://127.0.0.1:54000)");
    auto bare = parse_location("az://backups");
    BOOST_TEST(bare.prefix.empty());
    BOOST_TEST(bare.account.empty());
    BOOST_TEST(mentions(error_of("az://"), "no container"));
    BOOST_TEST(mentions(error_of("az://c?sas_token=sv=secret"), "not accepted in the URL"));
    BOOST_TEST(!mentions(error_of("az://c?sas_token=sv=secret"), "secret"));
    BOOST_TEST(mentions(error_of("az://c?colour=blue"), "unknown query key 'colour'"));
}

BOOST_AUTO_TEST_CASE(describe_never_shows_secrets) {
    auto l = parse_location("s3://bucket/p");
    l.access_key = "AKIAEXAMPLEKEY";
    l.secret_key = "very-secret-value";
    l.session_token = "token-value";
    auto d = describe(l);
    BOOST_TEST(!mentions(d, "AKIAEXAMPLEKEY"));
    BOOST_TEST(!mentions(d, "very-secret-value"));
    BOOST_TEST(!mentions(d, "token-value"));
}

BOOST_AUTO_TEST_CASE(bad_locations_say_what_is_wrong) {
    BOOST_TEST(mentions(error_of(""), "empty"));
    BOOST_TEST(mentions(error_of("s3://"), "no bucket"));
    BOOST_TEST(mentions(error_of("s3://Bad_Bucket/x"), "Bad_Bucket"));
    BOOST_TEST(mentions(error_of("s3://ab"), "3 to 63"));
    BOOST_TEST(mentions(error_of("s3://bucket?endpoint=ftp://x"), "http:// or https://"));
    BOOST_TEST(mentions(error_of("s3://bucket?endpoint=http://"), "no host"));
    BOOST_TEST(mentions(error_of("s3://bucket?colour=blue"), "unknown query key 'colour'"));
    BOOST_TEST(mentions(error_of("s3://bucket?path_style=maybe"), "path_style"));
    BOOST_TEST(mentions(error_of("s3://bucket?region"), "no '='"));
    BOOST_TEST(mentions(error_of("s3://bucket?endpoint=%zz"), "percent"));
    BOOST_TEST(mentions(error_of("s3://bucket?secret_key=abc"), "not accepted in the URL"));
    BOOST_TEST(!mentions(error_of("s3://bucket?secret_key=abc123secret"), "abc123secret"));
    BOOST_TEST(
        mentions(error_of("s3://bucket?endpoint=http://h:1&allow_http=false"), "allow_http"));
    BOOST_TEST(mentions(error_of("ftp://bucket"), "unsupported scheme 'ftp'"));
    BOOST_TEST(mentions(error_of("file://host/dir"), "absolute local path"));
}

BOOST_AUTO_TEST_CASE(open_backend_opens_a_directory) {
    boost::asio::io_context io;
    auto b = open_backend(io.get_executor(), parse_location("file:///tmp/kb-open-test"));
    BOOST_TEST(b->describe() == "/tmp/kb-open-test");
}

BOOST_AUTO_TEST_SUITE_END()
