// OSO's commands without a cluster: signatures, validation YAML, status and bulk report.
#define BOOST_TEST_MODULE oso
#include <kb/config/error.hpp>
#include <kb/config/validation.hpp>
#include <kb/inspect/status.hpp>
#include <kb/offsets/bulk_reset.hpp>
#include <kb/runtime/error.hpp>
#include <kb/validation/evidence.hpp>
#include <kb/validation/signing.hpp>

#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace kv = kb::validation;
namespace kcfg = kb::config;

namespace {

// A fresh P-256 key pair as (PKCS#8 private PEM, SPKI public PEM).
std::pair<std::string, std::string> make_keys() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    BOOST_REQUIRE(key);
    auto pem = [&](bool priv) {
        BIO* bio = BIO_new(BIO_s_mem());
        if (priv)
            PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
        else
            PEM_write_bio_PUBKEY(bio, key);
        char* data = nullptr;
        long n = BIO_get_mem_data(bio, &data);
        std::string out(data, static_cast<std::size_t>(n));
        BIO_free(bio);
        return out;
    };
    auto keys = std::make_pair(pem(true), pem(false));
    EVP_PKEY_free(key);
    return keys;
}

const char* minimal_yaml =
    "backup_id: b1\n"
    "storage: {backend: filesystem, path: /tmp/x}\n"
    "target: {bootstrap_servers: ['127.0.0.1:9092']}\n";

kcfg::config_errc error_of(const std::string& yaml) {
    try {
        kcfg::parse_validation_yaml(yaml, "v.yaml");
    } catch (const kcfg::config_error& e) {
        return e.kind();
    }
    BOOST_FAIL("no config_error for: " + yaml);
    return kcfg::config_errc::syntax;
}

}  // namespace

BOOST_AUTO_TEST_CASE(signature_round_trip_and_tamper) {
    auto [priv, pub] = make_keys();
    std::string report = R"({"a":1,"b":"PASSED"})";
    auto b = kv::sign_report(report, priv, "validation-1");
    BOOST_TEST(b.algorithm == "ECDSA-P256-SHA256");
    BOOST_TEST(b.report_sha256 == kv::sha256_hex(report));
    BOOST_TEST(b.signature.size() == 88u);  // base64 of 64 bytes
    auto parsed = kv::parse_sig_file(kv::to_sig_file(b));
    BOOST_TEST(parsed.report_id == "validation-1");
    BOOST_TEST(parsed.signature == b.signature);
    BOOST_TEST(kv::verify_signature(report, parsed, pub));
    BOOST_TEST(!kv::verify_signature(R"({"a":1,"b":"FAILED"})", parsed, pub));
    auto other = make_keys();
    BOOST_TEST(!kv::verify_signature(report, parsed, other.second));
    parsed.signature = "not base64!";
    BOOST_TEST(!kv::verify_signature(report, parsed, pub));
}

BOOST_AUTO_TEST_CASE(sha256_matches_the_published_vector) {
    BOOST_TEST(kv::sha256_hex("abc") ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(bad_keys_and_sig_files_are_refused) {
    BOOST_CHECK_THROW(kv::sign_report("x", "not a key", "r"), kb::error);
    BOOST_CHECK_THROW(kv::parse_sig_file("Algorithm: x\n"), kb::error);
    EVP_PKEY* rsa = EVP_RSA_gen(2048);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, rsa, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    EVP_PKEY_free(rsa);
    BOOST_CHECK_THROW(kv::sign_report("x", pem, "r"), kb::error);
}

BOOST_AUTO_TEST_CASE(validation_yaml_defaults_and_strictness) {
    auto v = kcfg::parse_validation_yaml(minimal_yaml, "v.yaml");
    BOOST_TEST(v.backup_id == "b1");
    BOOST_TEST(v.message_count.enabled);
    BOOST_TEST(v.consumer_group_offsets.verify_all_groups);
    BOOST_TEST(v.evidence_prefix == "evidence-reports/");
    BOOST_TEST(!v.signing.enabled);
    using e = kcfg::config_errc;
    BOOST_TEST((error_of(std::string(minimal_yaml) + "chekcs: {}\n") == e::unknown_key));
    BOOST_TEST((error_of(std::string(minimal_yaml) + "checks: {offset_range: {enabeld: true}}\n") ==
                e::unknown_key));
    BOOST_TEST((error_of(std::string(minimal_yaml) + "checks: {message_count: {mode: sample}}\n") ==
                e::invalid_value));
    BOOST_TEST(
        (error_of(std::string(minimal_yaml) + "evidence: {formats: [pdf]}\n") == e::invalid_value));
    BOOST_TEST((error_of(std::string(minimal_yaml) + "evidence: {signing: {enabled: true}}\n") ==
                e::missing_key));
    BOOST_TEST(
        (error_of("backup_id: b1\nstorage: {backend: filesystem, path: /x}\n") == e::missing_key));
}

BOOST_AUTO_TEST_CASE(canonical_report_bytes_carry_their_own_digest) {
    nlohmann::json r = {{"b", 1}, {"a", {{"z", 1}, {"y", 2}}}, {"integrity", {{"x", 1}}}};
    auto bytes = kv::report_bytes(r);
    BOOST_TEST(bytes.find(' ') == std::string::npos);
    BOOST_TEST(bytes.rfind(R"({"a":{"y":2,"z":1},"b":1,"integrity":{)", 0) == 0);
    auto parsed = nlohmann::json::parse(bytes);
    auto digest = parsed["integrity"]["report_sha256"].get<std::string>();
    parsed["integrity"]["report_sha256"] = "";
    BOOST_TEST(digest == kv::sha256_hex(parsed.dump()));
}

BOOST_AUTO_TEST_CASE(evidence_keys_follow_oso_layout) {
    kb::storage::format::timestamp t{std::chrono::milliseconds(1736899200000)};  // 2025-01-15
    BOOST_TEST(kv::evidence_key("evidence-reports/", "validation-x", t, "sig") ==
               "evidence-reports/validation-x/2025/01/validation-x.sig");
    BOOST_TEST(kv::new_report_id().size() == std::string("validation-").size() + 36);
}

BOOST_AUTO_TEST_CASE(prometheus_text_sums_by_family) {
    auto m = kb::inspect::parse_prometheus(
        "# HELP kafka_backup_records_total x\n"
        "kafka_backup_records_total{topic=\"a\"} 10\n"
        "kafka_backup_records_total{topic=\"b\"} 5\n"
        "kafka_backup_lag_records{topic=\"a\",partition=\"0\"} 3\n"
        "kafka_backup_segments_total{topic=\"a\"} 2\n"
        "kafka_backup_records_total_other 99\n"
        "kafka_backup_partitions 4");
    BOOST_TEST(m.records == 15);
    BOOST_TEST(m.lag == 3);
    BOOST_TEST(m.segments == 2);
    BOOST_TEST(m.partitions == 4);
}

BOOST_AUTO_TEST_CASE(bulk_report_status_and_json_shape) {
    kb::offsets::bulk_reset_report r;
    r.groups.resize(2);
    r.groups[0].group_id = "a";
    r.groups[0].partitions_reset = 3;
    r.groups[1].group_id = "b";
    BOOST_TEST(r.status() == "success");
    r.groups[1].errors.push_back({"t", 0, -1, "boom"});
    BOOST_TEST(r.status() == "partial_success");
    auto j = kb::offsets::to_json(r);
    BOOST_TEST(j["failed_groups"] == 1);
    BOOST_TEST(j["total_offsets_reset"] == 3);
    BOOST_TEST(j["group_outcomes"][1]["errors"][0]["message"] == "boom");
    BOOST_TEST(j["performance"].contains("p99_latency_ms"));
    r.groups[0].errors.push_back({"", -1, -1, "x"});
    BOOST_TEST(r.status() == "failed");
}

// The evidence names where the backup lives in each backend's own terms.
BOOST_AUTO_TEST_CASE(evidence_names_each_backends_location) {
    using kb::config::storage_backend;
    kb::config::storage_config s;
    s.backend = storage_backend::azure;
    s.azure.account_name = "devstoreaccount1";
    s.azure.container_name = "backups";
    s.prefix = "prod";
    BOOST_TEST(kb::validation::describe_storage(s) ==
               "azure account=devstoreaccount1 container=backups prefix=prod");
    s.backend = storage_backend::gcs;
    s.bucket = "kb-gcs";
    BOOST_TEST(kb::validation::describe_storage(s) == "gcs bucket=kb-gcs prefix=prod");
    s.backend = storage_backend::s3;
    BOOST_TEST(kb::validation::describe_storage(s) == "s3 bucket=kb-gcs prefix=prod");
    s.backend = storage_backend::filesystem;
    s.path = "/var/backups";
    BOOST_TEST(kb::validation::describe_storage(s) == "filesystem path=/var/backups");
}
