#pragma once
// Record batches (magic 2) and legacy message sets (magic 0/1).
//
// A Fetch response's records are split into batch_views: slices of the response
// buffer (no copy) with their parsed 61-byte header. Backups keep these bytes as they
// are; for_each_record decodes the records inside (decompressing when needed) into
// a reused `record` whose spans point into the batch or the decompressed buffer, so
// iterating allocates nothing per record. encode_batch builds a batch for produce;
// restamp_batch rewrites base offset / producer fields in place and fixes the CRC.
//
// The v2 batch header's layout and its one reader are in runtime/batch_v2.hpp (storage
// reads it too). Magic 0/1 entries share the first 17 bytes' shape (offset, size, crc, magic at
// 16).
//
// Pure; no I/O; thread-safe as plain values.

#include <kb/kafka/protocol/compression.hpp>
#include <kb/runtime/batch_v2.hpp>
#include <kb/runtime/buffer.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kb::kafka::protocol {

enum class timestamp_type : int8_t { create_time = 0, log_append_time = 1 };

inline constexpr std::size_t batch_header_size = runtime::batch_v2::header_size;
inline constexpr std::size_t log_overhead = runtime::batch_v2::log_overhead;

// Offsets and timestamps are base + delta; hostile batches may overflow, and Kafka's
// Java code wraps, so we wrap too instead of invoking undefined behaviour.
constexpr int64_t wrapping_add(int64_t a, int64_t b) noexcept {
    return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
constexpr int64_t wrapping_sub(int64_t a, int64_t b) noexcept {
    return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

struct batch_header {
    int64_t base_offset = 0;
    int32_t batch_length = 0;  // bytes after this field
    int32_t partition_leader_epoch = -1;
    int8_t magic = 2;
    uint32_t crc = 0;
    int16_t attributes = 0;
    int32_t last_offset_delta = 0;
    int64_t base_timestamp = -1;
    int64_t max_timestamp = -1;
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    int32_t record_count = 0;

    codec compression() const noexcept { return static_cast<codec>(attributes & 0x07); }
    protocol::timestamp_type timestamp_type() const noexcept {
        return (attributes & 0x08) ? timestamp_type::log_append_time : timestamp_type::create_time;
    }
    bool transactional() const noexcept { return (attributes & 0x10) != 0; }
    bool control() const noexcept { return (attributes & 0x20) != 0; }
    bool has_delete_horizon() const noexcept { return (attributes & 0x40) != 0; }
    int64_t last_offset() const noexcept { return wrapping_add(base_offset, last_offset_delta); }
    std::size_t total_size() const noexcept { return log_overhead + std::size_t(batch_length); }
    bool operator==(const batch_header&) const = default;
};

// Parses the header of the entry starting at `bytes`. For magic 2 all fields are
// filled; for magic 0/1 only base_offset, batch_length, magic, crc and attributes
// (the outer message's), and last_offset_delta = 0. Throws CORRUPT_MESSAGE when short.
batch_header parse_batch_header(std::span<const std::byte> bytes);

// One entry of a record set: a v2 batch, or one (possibly compressed wrapper) legacy message.
struct batch_view {
    runtime::shared_buffer bytes{};  // the whole entry, from base_offset to its end
    batch_header header{};

    // v2: CRC32C over bytes 21..end; magic 0/1: CRC32 over bytes 16..end.
    bool crc_ok() const;
    // The offset after this entry's last record (what the next fetch asks for).
    int64_t next_offset() const noexcept { return wrapping_add(header.last_offset(), 1); }
};

// Splits a record set into entries. A trailing entry cut short by the broker's size
// limit is dropped and reported through `truncated_tail` (which may be null). Throws
// CORRUPT_MESSAGE for a length that cannot be a valid entry.
std::vector<batch_view> split_batches(const runtime::shared_buffer& records,
                                      bool* truncated_tail = nullptr);

struct record_header {
    std::string_view key{};
    std::optional<std::span<const std::byte>> value{};  // nullopt = null value
};

// A decoded record. Views point into the batch (or its decompressed copy) and live
// only as long as the for_each_record callback that received it.
struct record {
    int64_t offset = 0;
    int64_t timestamp = -1;
    protocol::timestamp_type timestamp_type = timestamp_type::create_time;
    std::optional<std::span<const std::byte>> key{};    // nullopt = null key
    std::optional<std::span<const std::byte>> value{};  // nullopt = tombstone
    std::vector<record_header> headers{};               // wire order, duplicates kept
};

using record_fn = std::function<void(const record&)>;

// Calls `fn` for every record of the entry (v2 or legacy), decompressing when the
// codec says so (capped at `max_decompressed`). For a LOG_APPEND_TIME batch each
// record's timestamp is the batch's max_timestamp, as Kafka defines. Throws
// CORRUPT_MESSAGE on malformed records. Does not check the CRC: call crc_ok().
void for_each_record(const batch_view& batch, const record_fn& fn,
                     std::size_t max_decompressed = default_max_decompressed);

// Decodes a legacy (magic 0/1) message set: a sequence of messages, where a
// compressed message wraps an inner message set. Same record form as above.
void for_each_legacy_record(std::span<const std::byte> message_set, const record_fn& fn,
                            std::size_t max_decompressed = default_max_decompressed);

// Owning copies, for callers that keep records past the callback (re-encoding on restore).
struct owned_header {
    std::string key{};
    std::optional<std::vector<std::byte>> value{};
    bool operator==(const owned_header&) const = default;
};
struct owned_record {
    int64_t offset = 0;
    int64_t timestamp = -1;
    std::optional<std::vector<std::byte>> key{};
    std::optional<std::vector<std::byte>> value{};
    std::vector<owned_header> headers{};
    bool operator==(const owned_record&) const = default;
};
owned_record to_owned(const record& r);
std::vector<owned_record> read_records(const batch_view& batch,
                                       std::size_t max_decompressed = default_max_decompressed);

// What encode_batch writes around the records.
struct batch_spec {
    int64_t base_offset = 0;
    int32_t partition_leader_epoch = -1;
    codec compression = codec::none;
    int compression_level = -1;
    protocol::timestamp_type timestamp_type = timestamp_type::create_time;
    // Overrides max_timestamp (LOG_APPEND_TIME batches carry the append time there).
    std::optional<int64_t> max_timestamp{};
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    bool transactional = false;
    bool control = false;
};

struct record_input {
    int64_t timestamp = -1;
    std::optional<std::span<const std::byte>> key{};
    std::optional<std::span<const std::byte>> value{};
    std::vector<record_header> headers{};
    // Offset relative to base_offset; default = the record's index (no gaps).
    std::optional<int32_t> offset_delta{};
};
record_input as_input(const owned_record& r, int64_t base_offset);

// Encodes one v2 batch (from base_offset to the end). Base timestamp is the first
// record's, as the Java producer writes; the CRC is computed. Empty input is rejected.
std::vector<std::byte> encode_batch(const batch_spec& spec, std::span<const record_input> records);

// Fields restamp_batch may rewrite; nullopt leaves a field as it is.
struct restamp {
    std::optional<int64_t> base_offset{};
    std::optional<int32_t> partition_leader_epoch{};
    std::optional<int64_t> producer_id{};
    std::optional<int16_t> producer_epoch{};
    std::optional<int32_t> base_sequence{};
    std::optional<bool> transactional{};
};
// Rewrites a v2 batch in place and recomputes its CRC; records are untouched.
// Throws CORRUPT_MESSAGE unless `batch` is exactly one whole v2 batch.
void restamp_batch(std::span<std::byte> batch, const restamp& changes);

}  // namespace kb::kafka::protocol
