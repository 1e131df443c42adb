#pragma once
// validation run's checks (OSO kafka-backup's names and outcomes): the restored
// cluster against the backup's manifest.
//
// - MessageCountCheck: per partition, the records the backup holds against the
//   restored partition's end - start offsets, within checks.message_count.fail_threshold.
// - OffsetRangeCheck: the restored high watermark reaches past the backup's last
//   offset (verify_high_watermark, as OSO), and the restored log starts at or
//   before the backup's first offset (verify_low_watermark).
// - ConsumerGroupOffsetCheck: every group the backup snapshotted (or the groups
//   named) has commits on the backup's topics in the restored cluster, none past
//   the partition's end.
//
// The message count check's data carries, per partition, the counts and a SHA-256
// over the backup's segment checksums, for the evidence report.
// Coroutines run on the cluster's executor.

#include <kb/config/validation.hpp>
#include <kb/kafka/client/cluster.hpp>
#include <kb/storage/format/manifest.hpp>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kb::validation {

enum class outcome { passed, failed, skipped, warning };
const char* to_string(outcome o) noexcept;  // "PASSED", "FAILED", "SKIPPED", "WARNING"

struct check_result {
    std::string check_name;
    outcome result = outcome::skipped;
    std::string detail;
    nlohmann::json data = nlohmann::json::object();
    std::uint64_t duration_ms = 0;
};

struct validation_summary {
    std::vector<check_result> results;
    std::uint64_t total_duration_ms = 0;
    std::size_t count(outcome o) const noexcept;
    outcome overall() const noexcept;  // failed > warning > passed > skipped
};

// A restored partition's log start and end offsets, or why they could not be read.
struct target_range {
    std::int64_t earliest = -1;
    std::int64_t latest = -1;
    std::string error;
};
using partition_key = std::pair<std::string, std::int32_t>;
using target_offsets = std::map<partition_key, target_range>;

// The target's offsets of every partition the manifest has data for.
boost::asio::awaitable<target_offsets> read_target_offsets(kafka::client::cluster& c,
                                                           const storage::format::manifest& m);

check_result message_count_check(const config::validation_config& cfg,
                                 const storage::format::manifest& m, const target_offsets& t);
check_result offset_range_check(const config::validation_config& cfg,
                                const storage::format::manifest& m, const target_offsets& t);
boost::asio::awaitable<check_result> group_offsets_check(kafka::client::cluster& c,
                                                         config::validation_config cfg,
                                                         const storage::format::manifest& m,
                                                         const target_offsets& t);

// Every enabled check, in OSO's order.
boost::asio::awaitable<validation_summary> run_checks(kafka::client::cluster& c,
                                                      config::validation_config cfg,
                                                      const storage::format::manifest& m);

// SHA-256 (hex) over a partition's segment checksums, in offset order.
std::string segments_sha256(const storage::format::partition_manifest& p);

}  // namespace kb::validation
