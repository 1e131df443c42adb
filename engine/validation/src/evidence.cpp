// The evidence report document and its canonical bytes.
#include <kb/validation/evidence.hpp>
#include <kb/validation/signing.hpp>

#include <fmt/format.h>

#include <random>

namespace kb::validation {
namespace sf = kb::storage::format;
using nlohmann::json;

std::string new_report_id() {
    std::random_device rd;
    std::uniform_int_distribution<unsigned> byte(0, 255);
    unsigned char b[16];
    for (auto& x : b) x = static_cast<unsigned char>(byte(rd));
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    std::string hex;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
        hex += fmt::format("{:02x}", b[i]);
    }
    return "validation-" + hex;
}

std::string describe_storage(const config::storage_config& s) {
    auto name = config::to_string(s.backend);
    switch (s.backend) {
        case config::storage_backend::s3:
        case config::storage_backend::gcs:
            return fmt::format("{} bucket={} prefix={}", name, s.bucket, s.prefix);
        case config::storage_backend::azure:
            return fmt::format("{} account={} container={} prefix={}", name, s.azure.account_name,
                               s.azure.container_name, s.prefix);
        default:
            return fmt::format("{} path={}", name, s.path);
    }
}

namespace {

json backup_section(const evidence_inputs& in) {
    const auto& m = *in.manifest;
    const auto& cfg = *in.cfg;
    std::size_t partitions = 0, segments = 0;
    std::uint64_t records = 0;
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions) {
            ++partitions;
            segments += p.segments.size();
            for (const auto& s : p.segments) records += s.record_count;
        }
    auto where = describe_storage(cfg.storage);
    return {{"id", m.backup_id},
            {"source_cluster_id", m.source.cluster_id},
            {"source_brokers", m.source.bootstrap_servers},
            {"storage_backend", where},
            {"pitr_timestamp", cfg.pitr_timestamp ? json(*cfg.pitr_timestamp) : json(nullptr)},
            {"created_at", sf::format_timestamp(m.created_at)},
            {"total_topics", m.topics.size()},
            {"total_partitions", partitions},
            {"total_segments", segments},
            {"total_records", records}};
}

json validation_section(const validation_summary& s) {
    json results = json::array();
    for (const auto& r : s.results)
        results.push_back({{"check_name", r.check_name},
                           {"outcome", to_string(r.result)},
                           {"detail", r.detail},
                           {"data", r.data},
                           {"duration_ms", r.duration_ms}});
    return {{"checks_total", s.results.size()},
            {"checks_passed", s.count(outcome::passed)},
            {"checks_failed", s.count(outcome::failed)},
            {"checks_skipped", s.count(outcome::skipped)},
            {"checks_warned", s.count(outcome::warning)},
            {"overall_result", to_string(s.overall())},
            {"results", results},
            {"total_duration_ms", s.total_duration_ms}};
}

}  // namespace

json build_report(const evidence_inputs& in) {
    const auto& cfg = *in.cfg;
    json report = {{"schema_version", "1.0"},
                   {"report_id", in.report_id},
                   {"generated_at", sf::format_timestamp(in.generated_at)},
                   {"tool", {{"name", "kafka-backup"}, {"version", in.tool_version}}},
                   {"backup", backup_section(in)},
                   {"restore",
                    {{"target_bootstrap_servers", cfg.target.bootstrap_servers},
                     {"start_time", nullptr},
                     {"end_time", nullptr},
                     {"duration_seconds", nullptr}}},
                   {"validation", validation_section(*in.summary)},
                   {"integrity",
                    {{"backup_manifest_sha256", in.manifest_sha256},
                     {"report_sha256", ""},
                     {"checksums_valid", true},
                     {"signature_algorithm", cfg.signing.enabled ? signature_algorithm : "none"}}},
                   {"compliance_mappings", json::object()},
                   {"retention_days", cfg.retention_days},
                   {"triggered_by", cfg.triggered_by ? json(*cfg.triggered_by) : json(nullptr)}};
    return report;
}

std::string report_bytes(json report) {
    report["integrity"]["report_sha256"] = "";
    report["integrity"]["report_sha256"] = sha256_hex(report.dump());
    return report.dump();
}

std::string results_text(const validation_summary& s) {
    std::string out = "\n=== Validation Results ===\n";
    out += fmt::format("Overall: {}\n", to_string(s.overall()));
    out += fmt::format("Checks: {}/{} passed, {} failed, {} skipped\n", s.count(outcome::passed),
                       s.results.size(), s.count(outcome::failed), s.count(outcome::skipped));
    out += fmt::format("Duration: {}ms\n\n", s.total_duration_ms);
    for (const auto& r : s.results)
        out += fmt::format("  [{}] {} \u2014 {}\n", to_string(r.result), r.check_name, r.detail);
    return out;
}

}  // namespace kb::validation
