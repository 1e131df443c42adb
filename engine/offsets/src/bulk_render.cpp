// offset-reset-bulk's report: OSO's BulkOffsetResetReport JSON and its text box.
#include <kb/offsets/bulk_reset.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace kb::offsets {
using nlohmann::json;

namespace {

struct performance {
    double avg = 0, p50 = 0, p99 = 0, offsets_per_second = 0;
    std::uint64_t total_retries = 0;
};

// Nearest-rank percentile of the sorted latencies.
double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999);
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::size_t offsets_reset(const bulk_reset_report& r) {
    std::size_t n = 0;
    for (const auto& g : r.groups) n += g.partitions_reset;
    return n;
}

std::size_t offsets_failed(const bulk_reset_report& r) {
    std::size_t n = 0;
    for (const auto& g : r.groups) n += g.partitions_failed;
    return n;
}

performance performance_of(const bulk_reset_report& r) {
    performance p;
    std::vector<double> lat;
    for (const auto& g : r.groups) {
        lat.push_back(static_cast<double>(g.duration_ms));
        p.total_retries += g.retry_attempts;
    }
    std::sort(lat.begin(), lat.end());
    if (!lat.empty()) p.avg = std::accumulate(lat.begin(), lat.end(), 0.0) / lat.size();
    p.p50 = percentile(lat, 50);
    p.p99 = percentile(lat, 99);
    double secs = static_cast<double>(std::max<std::uint64_t>(r.duration_ms, 1)) / 1000.0;
    p.offsets_per_second = static_cast<double>(offsets_reset(r)) / secs;
    return p;
}

json group_json(const bulk_group_outcome& g) {
    json errors = json::array();
    for (const auto& e : g.errors)
        errors.push_back({{"topic", e.topic},
                          {"partition", e.partition},
                          {"error_code", e.error_code},
                          {"message", e.message}});
    return {{"group_id", g.group_id},
            {"partitions_reset", g.partitions_reset},
            {"partitions_failed", g.partitions_failed},
            {"errors", errors},
            {"duration_ms", g.duration_ms},
            {"retry_attempts", g.retry_attempts}};
}

}  // namespace

json to_json(const bulk_reset_report& r) {
    json outcomes = json::array();
    for (const auto& g : r.groups) outcomes.push_back(group_json(g));
    auto p = performance_of(r);
    return {{"status", r.status()},
            {"total_groups", r.groups.size()},
            {"successful_groups", r.groups.size() - r.failed_groups()},
            {"failed_groups", r.failed_groups()},
            {"total_offsets_reset", offsets_reset(r)},
            {"total_offsets_failed", offsets_failed(r)},
            {"group_outcomes", outcomes},
            {"duration_ms", r.duration_ms},
            {"performance",
             {{"avg_latency_ms", p.avg},
              {"p50_latency_ms", p.p50},
              {"p99_latency_ms", p.p99},
              {"offsets_per_second", p.offsets_per_second},
              {"max_concurrency", r.max_concurrency},
              {"total_retries", p.total_retries}}}};
}

std::string to_text(const bulk_reset_report& r) {
    auto p = performance_of(r);
    auto status = r.status();
    std::string shown = status == "success"           ? "SUCCESS"
                        : status == "partial_success" ? "PARTIAL SUCCESS"
                                                      : "FAILED";
    const std::string rule(78, '=');
    std::string out = rule + "\n  BULK OFFSET RESET REPORT\n" + rule + "\n";
    out += fmt::format("  Status: {}\n{}\n  Summary\n", shown, rule);
    out += fmt::format("    Total Groups:     {}\n    Successful:       {}\n", r.groups.size(),
                       r.groups.size() - r.failed_groups());
    out += fmt::format("    Failed:           {}\n    Offsets Reset:    {}\n", r.failed_groups(),
                       offsets_reset(r));
    out += fmt::format("    Offsets Failed:   {}\n{}\n  Performance\n", offsets_failed(r), rule);
    out += fmt::format("    Duration:         {} ms\n    Avg Latency:      {:.2f} ms\n",
                       r.duration_ms, p.avg);
    out += fmt::format("    P50 Latency:      {:.2f} ms\n    P99 Latency:      {:.2f} ms\n", p.p50,
                       p.p99);
    out += fmt::format("    Throughput:       {:.2f} ops/s\n    Max Concurrency:  {}\n",
                       p.offsets_per_second, r.max_concurrency);
    out += fmt::format("    Total Retries:    {}\n{}\n", p.total_retries, rule);
    if (r.failed_groups() == 0) return out;
    out += "\nErrors:\n";
    for (const auto& g : r.groups) {
        if (g.ok()) continue;
        out += fmt::format("  Group: {}\n", g.group_id);
        for (const auto& e : g.errors)
            out += fmt::format("    - {}:{} - {} (code: {})\n", e.topic, e.partition, e.message,
                               e.error_code);
    }
    return out;
}

}  // namespace kb::offsets
