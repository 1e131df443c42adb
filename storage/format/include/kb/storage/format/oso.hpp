#pragma once
// Reading backups written by OSO kafka-backup (0.17.x and the 0.25 engine), so a
// user switching to this tool keeps their backup history. Read-only: we never
// write this format. See docs/format.md "Reading OSO kafka-backup backups".
//
//   {backup_id}/manifest.json                                       one JSON document
//   {backup_id}/topics/{topic}/partition={p}/segment-{start:020}.bin[.zst|.lz4]
//
// An OSO segment object: a 32-byte header ("KBAK", version 1, codec, record count,
// first and last offset, little-endian), the record frames (compressed as a whole:
// a zstd frame, or a raw LZ4 block after its u32 size), a CRC-32 (IEEE) of all
// bytes before it, and "BKAE". A record frame is
//   u32 len | i64 timestamp | i64 offset | i32 key_len (-1 null) | key
//   | i32 value_len (-1 null) | value | u16 header_count
//   | header_count x (u16 key_len | key | i32 value_len (-1 null) | value)
// all little-endian.
//
// The decoders are pure and throw kb::error(fatal, "CorruptSegment" /
// "TruncatedSegment" / "InvalidManifest") naming the object and the byte position
// or JSON field, like the readers of our own format.

#include <kb/runtime/buffer.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::format {

// --- manifest ---------------------------------------------------------------

// "{backup_id}/manifest.json": where OSO keeps a backup's manifest.
std::string oso_manifest_key(std::string_view backup_id);
// The backup id of a key "{backup_id}/manifest.json", if the key is one.
std::optional<std::string> oso_backup_id_of(std::string_view key);
// True when the document has the shape of OSO's manifest (backup_id, an integer
// created_at and topics[].partitions[].partition_id; none of our format_version).
bool looks_like_oso_manifest(std::string_view json_text);
// OSO's manifest in our model: status complete, segment compression from the key's
// extension, OSO's offset gaps and pruned ranges as retention gaps, segments sorted
// by offset, no checksum (OSO 0.17 records none). Throws InvalidManifest naming the
// field ("oso manifest: topics[0].partitions[1].segments[2].end_offset: ...").
manifest parse_oso_manifest(std::string_view json_text);

// "{backup_id}/consumer-groups-snapshot.json": the group offsets OSO's
// snapshot-groups (or backup.consumer_group_snapshot) recorded, as our groups
// (offsets sorted by topic and partition; taken_at = its snapshot_time). Throws
// InvalidManifest naming the field.
std::string oso_group_snapshot_key(std::string_view backup_id);
std::vector<group_snapshot> parse_oso_group_snapshot(std::string_view json_text);

// The manifest of `backup_id` whichever tool wrote it: our newest version, else
// OSO's {backup_id}/manifest.json when it has OSO's shape, with the group offsets
// of OSO's consumer-groups-snapshot.json when there is one; nullopt when neither.
awaitable<std::optional<manifest>> read_backup_manifest(backend& b, std::string backup_id);

// --- segments ---------------------------------------------------------------

inline constexpr std::size_t oso_header_size = 32;
inline constexpr std::size_t oso_footer_size = 8;  // CRC-32 + "BKAE"

// True for the keys OSO gives segments: "...segment-<20 digits>.bin[.zst|.lz4]".
bool looks_like_oso_segment_key(std::string_view key);

struct oso_segment {
    codec compression = codec::none;
    std::uint64_t record_count = 0;
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
    runtime::shared_buffer records;  // the record frames, decompressed
};

// Checks length, magics, version, codec and CRC, then decompresses (at most
// `max_records_bytes`). `name` identifies the object in messages.
oso_segment decode_oso_segment(std::span<const std::byte> object, const std::string& name,
                               std::uint64_t max_records_bytes = std::uint64_t{1} << 31);

struct oso_header_field {
    std::string_view key;
    std::optional<std::span<const std::byte>> value;  // nullopt: null
};

// One record frame; spans point into the segment's `records` buffer.
struct oso_record {
    std::int64_t timestamp = 0;
    std::int64_t offset = 0;
    std::optional<std::span<const std::byte>> key;
    std::optional<std::span<const std::byte>> value;
    std::vector<oso_header_field> headers;
};

// Reads the frame at `pos` of `records` into `out`; returns the position after it.
// Throws CorruptSegment/TruncatedSegment naming `name` and the position.
std::size_t read_oso_record(std::span<const std::byte> records, std::size_t pos, oso_record& out,
                            const std::string& name);

// Reads every frame and checks the count, that offsets are >= 0 and ascend, that the first
// and last match the header; calls `fn` for each record.
template <class Fn>
void for_each_oso_record(const oso_segment& seg, const std::string& name, Fn&& fn);

// The checks of for_each_oso_record after the walk (shared by its instantiations).
void check_oso_walk(const oso_segment& seg, const std::string& name, std::uint64_t count,
                    std::int64_t first, std::int64_t last, std::size_t end_pos);

template <class Fn>
void for_each_oso_record(const oso_segment& seg, const std::string& name, Fn&& fn) {
    auto bytes = seg.records.bytes();
    std::size_t pos = 0;
    std::uint64_t count = 0;
    std::int64_t first = 0, prev = 0;
    oso_record r;
    while (pos < bytes.size() && count < seg.record_count) {
        auto at = pos;
        pos = read_oso_record(bytes, pos, r, name);
        if (r.offset < 0)
            throw_corrupt(name, "records", at, "negative offset " + std::to_string(r.offset));
        if (count > 0 && r.offset <= prev)
            throw_corrupt(name, "records", at,
                          "offset " + std::to_string(r.offset) + " does not ascend from " +
                              std::to_string(prev));
        if (count == 0) first = r.offset;
        prev = r.offset;
        ++count;
        fn(r, at, pos);
    }
    check_oso_walk(seg, name, count, first, prev, pos);
}

}  // namespace kb::storage::format
