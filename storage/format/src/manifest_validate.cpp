// The invariants of a manifest, checked both after parsing and before
// serializing, so a bad manifest is never published and never trusted.

#include "json_reader.hpp"

#include <kb/storage/format/manifest.hpp>

#include <set>

namespace kb::storage::format {

using detail::manifest_fail;

namespace {

bool valid_checksum(const std::string& c) {
    if (c.size() != 15 || !c.starts_with("crc32c:")) return false;
    return c.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
}

// A transaction may begin in an earlier segment; a fetch response can also list
// one that begins after the segment's last batch, which is harmless to keep.
void check_aborted(const segment_ref& s, const std::string& sp) {
    for (std::size_t k = 0; k < s.aborted_transactions.size(); ++k) {
        auto& a = s.aborted_transactions[k];
        auto ap = fmt::format("{}.aborted_transactions[{}]", sp, k);
        if (a.producer_id < 0) manifest_fail(ap + ".producer_id", "negative");
        if (a.first_offset < 0) manifest_fail(ap + ".first_offset", "negative");
    }
}

void check_segments(const partition_manifest& p, const std::string& path) {
    if (p.start_offset < -1) manifest_fail(path + ".start_offset", "below -1 (-1: unknown)");
    for (std::size_t i = 0; i < p.segments.size(); ++i) {
        auto& s = p.segments[i];
        auto sp = fmt::format("{}.segments[{}]", path, i);
        if (s.key.empty()) manifest_fail(sp + ".key", "empty");
        if (s.last_offset < s.first_offset)
            manifest_fail(sp + ".last_offset", "below first_offset");
        if (s.max_timestamp < s.min_timestamp)
            manifest_fail(sp + ".max_timestamp", "below min_timestamp");
        if (!valid_checksum(s.checksum))
            manifest_fail(sp + ".checksum", "expected \"crc32c:\" and 8 hex digits");
        if (s.compression != "zstd" && s.compression != "lz4" && s.compression != "gzip" &&
            s.compression != "snappy" && s.compression != "none")
            manifest_fail(sp + ".compression", "expected zstd, lz4, gzip, snappy or none");
        check_aborted(s, sp);
        if (i > 0 && s.first_offset <= p.segments[i - 1].last_offset)
            manifest_fail(sp + ".first_offset", "overlaps or precedes the previous segment");
    }
    for (std::size_t i = 0; i < p.retention_gaps.size(); ++i) {
        auto& g = p.retention_gaps[i];
        if (g.last_offset < g.first_offset)
            manifest_fail(fmt::format("{}.retention_gaps[{}].last_offset", path, i),
                          "below first_offset");
    }
}

void check_topic(const topic_manifest& t, const std::string& path) {
    if (t.name.empty() || t.name.size() > 249)
        manifest_fail(path + ".name", "expected 1..249 characters");
    if (t.partition_count < 1) manifest_fail(path + ".partition_count", "must be at least 1");
    if (t.replication_factor == 0 || t.replication_factor < -1)
        manifest_fail(path + ".replication_factor", "must be positive (or -1 when unknown)");
    std::set<std::int32_t> seen;
    auto claim = [&](std::int32_t p, const std::string& at) {
        if (p < 0 || p >= t.partition_count)
            manifest_fail(at, "partition outside 0..partition_count-1");
        if (!seen.insert(p).second) manifest_fail(at, fmt::format("partition {} listed twice", p));
    };
    for (std::size_t i = 0; i < t.partitions.size(); ++i) {
        auto pp = fmt::format("{}.partitions[{}]", path, i);
        claim(t.partitions[i].partition, pp + ".partition");
        check_segments(t.partitions[i], pp);
    }
    for (std::size_t i = 0; i < t.empty_partitions.size(); ++i)
        claim(t.empty_partitions[i], fmt::format("{}.empty_partitions[{}]", path, i));
}

void check_groups(const manifest& m) {
    for (std::size_t i = 0; i < m.consumer_groups.size(); ++i) {
        auto& g = m.consumer_groups[i];
        auto gp = fmt::format("consumer_groups[{}]", i);
        if (g.group_id.empty()) manifest_fail(gp + ".group_id", "empty");
        for (std::size_t k = 0; k < g.offsets.size(); ++k) {
            auto& o = g.offsets[k];
            auto op = fmt::format("{}.offsets[{}]", gp, k);
            if (o.topic.empty()) manifest_fail(op + ".topic", "empty");
            if (o.partition < 0) manifest_fail(op + ".partition", "negative");
            if (o.offset < -1) manifest_fail(op + ".offset", "below -1");
        }
    }
}

}  // namespace

void validate_manifest(const manifest& m) {
    if (m.format_version < 1 || m.format_version > manifest_version)
        manifest_fail("format_version",
                      fmt::format("unsupported version {} (this build reads 1..{})",
                                  m.format_version, manifest_version));
    if (!valid_backup_id(m.backup_id))
        manifest_fail("backup_id", "expected 1..128 characters of [A-Za-z0-9._-]");
    if (m.updated_at < m.created_at) manifest_fail("updated_at", "earlier than created_at");
    std::set<std::string> names;
    for (std::size_t i = 0; i < m.topics.size(); ++i) {
        auto tp = fmt::format("topics[{}]", i);
        check_topic(m.topics[i], tp);
        if (!names.insert(m.topics[i].name).second)
            manifest_fail(tp + ".name", fmt::format("topic '{}' listed twice", m.topics[i].name));
    }
    check_groups(m);
}

}  // namespace kb::storage::format
