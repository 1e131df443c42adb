#pragma once
// Where a backup's objects live, relative to the backend root:
//
//   {prefix/}{backup_id}/segments/<topic>/<partition>/<first offset, 20 digits>.seg
//   {prefix/}{backup_id}/manifests/manifest-<sequence, 20 digits>.json
//   {prefix/}{backup_id}/checkpoints/<name>
//   {prefix/}{backup_id}/lock.json
//
// A segment is keyed by its first offset only (format 2), so its upload can start
// with its first part; its last offset and record count are in the manifest and
// the segment's footer. Format 1 keys ("<first>-<last>.seg") stay readable: readers
// follow the manifest's keys and never build them.
//
// Zero-padded numbers make lexical listing order numeric order, so the newest
// manifest and a partition's segments come out of a listing already sorted.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::storage::format {

class backup_layout {
  public:
    // Throws std::invalid_argument for a backup id outside [A-Za-z0-9._-].
    // `prefix` is an extra key prefix inside the backend root; usually empty.
    explicit backup_layout(std::string backup_id, std::string prefix = "");

    const std::string& backup_id() const noexcept { return id_; }
    const std::string& root() const noexcept { return root_; }  // "{prefix/}{backup_id}"

    std::string segments_prefix() const;  // ".../segments/"
    std::string topic_prefix(std::string_view topic) const;
    std::string partition_prefix(std::string_view topic, std::int32_t partition) const;
    // The key a new segment starting at `first_offset` is written under.
    // Throws std::invalid_argument for a topic name Kafka would not allow.
    std::string segment(std::string_view topic, std::int32_t partition,
                        std::int64_t first_offset) const;
    // A format 1 key ("<first>-<last>.seg"): no longer written, still read; kept for
    // tests and tools that make old-format backups.
    std::string segment_v1(std::string_view topic, std::int32_t partition,
                           std::int64_t first_offset, std::int64_t last_offset) const;
    std::string manifests_prefix() const;
    std::string manifest(std::uint64_t sequence) const;
    std::string checkpoints_prefix() const;
    std::string checkpoint(std::string_view name) const;
    std::string lock() const;

    // True when `key` can be a segment of `topic` in this backup: under
    // topic_prefix(topic), with no empty, "." or ".." component after it. A
    // manifest naming any other key (another backup's segment, a path up and
    // out) is not followed.
    bool owns_segment(std::string_view topic, std::string_view key) const;

  private:
    std::string id_;
    std::string root_;
};

struct manifest;
// Throws kb::error(fatal, "InvalidManifest") naming the first segment key of `m`
// that `layout` does not own (see owns_segment), so restore, validate, describe,
// prune and the offset reports never read or delete outside the backup.
void check_segment_keys(const manifest& m, const backup_layout& layout);
// The same for a manifest of OSO kafka-backup: every key under "{backup_id}/".
void check_oso_segment_keys(const manifest& m, const std::string& backup_id);

// The sequence in ".../manifests/manifest-00000000000000000042.json", if the key is one.
std::optional<std::uint64_t> parse_manifest_sequence(std::string_view key);

struct segment_key {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t first_offset = 0;
    std::optional<std::int64_t> last_offset;  // only in format 1 keys
};
// Parses the tail "<topic>/<partition>/<first>.seg" (format 2) or
// "<topic>/<partition>/<first>-<last>.seg" (format 1) of a segment key.
std::optional<segment_key> parse_segment_key(std::string_view key);

// Kafka's topic name rule: 1..249 characters of [A-Za-z0-9._-], not "." or "..".
bool valid_topic_name(std::string_view topic);

}  // namespace kb::storage::format
