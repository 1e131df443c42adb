// Segment identity and partition continuity checks (see segment_checks.hpp).
#include "segment_checks.hpp"

#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::restore::detail {

namespace sf = storage::format;

namespace {

constexpr const char* damaged_advice =
    "the backup is damaged; 'kafka-backup validate --deep' lists what is wrong";

bool compacted(const sf::topic_manifest& t) {
    auto it = t.configs.find("cleanup.policy");
    return it != t.configs.end() && it->second.find("compact") != std::string::npos;
}

bool gap_recorded(const sf::partition_manifest& p, std::int64_t first, std::int64_t last) {
    // Gaps recorded one after another (retention moved on twice) cover a range together.
    auto next = first;
    for (bool grew = true; grew && next <= last;) {
        grew = false;
        for (const auto& g : p.retention_gaps)
            if (g.first_offset <= next && g.last_offset >= next) {
                next = g.last_offset + 1;
                grew = true;
            }
    }
    return next > last;
}

}  // namespace

void check_segment_identity(const sf::segment_footer& footer, const sf::segment_ref& entry,
                            const std::string& topic, std::int32_t partition) {
    // An OSO segment names its topic and partition only in its key: when the key
    // does not say, its offsets and count are still checked.
    const bool placed =
        footer.topic.empty() || (footer.topic == topic && footer.partition == partition);
    if (placed && footer.first_offset == entry.first_offset &&
        footer.last_offset == entry.last_offset && footer.record_count == entry.record_count)
        return;
    throw kb::error(
        error_class::fatal, "SegmentMismatch",
        fmt::format("segment {} holds {}-{} offsets {}..{} ({} records) but the manifest lists it "
                    "for {}-{} offsets {}..{} ({} records); {}",
                    entry.key, footer.topic, footer.partition, footer.first_offset,
                    footer.last_offset, footer.record_count, topic, partition, entry.first_offset,
                    entry.last_offset, entry.record_count, damaged_advice));
}

void check_partition_continuity(const sf::topic_manifest& t, const sf::partition_manifest& p,
                                std::int64_t first, std::int64_t last) {
    if (compacted(t)) return;  // compaction leaves gaps of its own, also between segments
    for (std::size_t i = 1; i < p.segments.size(); ++i) {
        const auto& prev = p.segments[i - 1];
        const auto& next = p.segments[i];
        const auto gap_first = prev.last_offset + 1, gap_last = next.first_offset - 1;
        if (gap_first > gap_last || gap_last < first || gap_first > last) continue;
        if (gap_recorded(p, gap_first, gap_last)) continue;
        throw kb::error(error_class::fatal, "BackupGap",
                        fmt::format("{}-{}: offsets {}..{} are missing between segments {} and {}, "
                                    "and the manifest records no retention gap there; {}",
                                    t.name, p.partition, gap_first, gap_last, prev.key, next.key,
                                    damaged_advice));
    }
}

void check_partition_end(const sf::topic_manifest& t, const sf::partition_manifest& p,
                         std::int64_t first, std::int64_t last) {
    if (compacted(t) || p.end_offset < 0) return;
    // The backup sets end_offset one past the last segment (or gap) it committed, so
    // offsets between the last listed segment and end_offset lost their entries.
    const std::int64_t covered = p.segments.empty() ? std::max<std::int64_t>(p.log_start_offset, 0)
                                                    : p.segments.back().last_offset + 1;
    const auto gap_first = covered, gap_last = p.end_offset - 1;
    if (gap_first > gap_last || gap_last < first || gap_first > last) return;
    if (gap_recorded(p, gap_first, gap_last)) return;
    const auto after = p.segments.empty() ? std::string("the manifest lists no segment for them")
                                          : fmt::format("after segment {}", p.segments.back().key);
    throw kb::error(error_class::fatal, "BackupGap",
                    fmt::format("{}-{}: offsets {}..{} were backed up but are missing ({}), and "
                                "the manifest records no retention gap there; {}",
                                t.name, p.partition, gap_first, gap_last, after, damaged_advice));
}

void check_partition_start(const sf::topic_manifest& t, const sf::partition_manifest& p,
                           std::int64_t first, std::int64_t last) {
    // Compaction may have removed the first records before the backup read them.
    if (compacted(t) || p.start_offset < 0 || p.segments.empty()) return;
    const auto gap_first = p.start_offset, gap_last = p.segments.front().first_offset - 1;
    if (gap_first > gap_last || gap_last < first || gap_first > last) return;
    if (gap_recorded(p, gap_first, gap_last)) return;
    throw kb::error(error_class::fatal, "BackupGap",
                    fmt::format("{}-{}: offsets {}..{} are missing before the first segment {} "
                                "(the backup started at offset {}), and the manifest records no "
                                "retention gap there; {}",
                                t.name, p.partition, gap_first, gap_last, p.segments.front().key,
                                p.start_offset, damaged_advice));
}

}  // namespace kb::restore::detail
