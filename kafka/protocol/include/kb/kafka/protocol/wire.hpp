#pragma once
// Kafka wire primitives: a writer that appends big-endian fields to a byte vector and
// a bounds-checked reader over a span. Pure functions of bytes; no I/O, no globals.
//
// Threading: a writer or reader is a plain value used by one thread at a time.
// Failure: every reader error throws kb::error(fatal, "CORRUPT_MESSAGE", ...) naming
// what was being read and at which offset. A claimed length is checked against the
// remaining bytes before anything is allocated, so hostile input cannot make us
// allocate the size it claims.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kb::kafka::protocol {

using byte_vector = std::vector<std::byte>;
using byte_span = std::span<const std::byte>;

// A Kafka UUID (topic ids): 16 raw bytes, all-zero meaning "none".
struct uuid {
    std::array<std::byte, 16> bytes{};
    bool is_zero() const noexcept;
    std::string to_string() const;  // url-safe base64 without padding, as Kafka prints it
    bool operator==(const uuid&) const = default;
};

// One tagged field of a flexible-version struct, kept as raw bytes.
struct tagged_field {
    uint32_t tag = 0;
    byte_vector data{};
    bool operator==(const tagged_field&) const = default;
};
using tagged_fields = std::vector<tagged_field>;

class writer {
  public:
    writer() : out_(&own_) {}
    // Appends to `out` instead of an internal vector; `out` must outlive the writer.
    explicit writer(byte_vector& out) : out_(&out) {}
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    byte_vector& buffer() noexcept { return *out_; }
    std::size_t size() const noexcept { return out_->size(); }
    byte_vector take() { return std::move(*out_); }

    void int8(int8_t v);
    void int16(int16_t v);
    void int32(int32_t v);
    void uint32(uint32_t v);
    void int64(int64_t v);
    void boolean(bool v) { int8(v ? 1 : 0); }
    void uvarint(uint32_t v);
    void uvarlong(uint64_t v);
    void varint(int32_t v);   // zig-zag
    void varlong(int64_t v);  // zig-zag
    void raw(byte_span bytes);
    void uuid(const protocol::uuid& id);

    // Classic (int16/int32 length) forms.
    void string(std::string_view s);
    void nullable_string(const std::optional<std::string>& s);
    void bytes(byte_span b);
    void nullable_bytes(std::optional<byte_span> b);
    void array_length(int32_t n);  // -1 = null array

    // Flexible-version (compact, uvarint length + 1) forms.
    void compact_string(std::string_view s);
    void compact_nullable_string(const std::optional<std::string>& s);
    void compact_bytes(byte_span b);
    void compact_nullable_bytes(std::optional<byte_span> b);
    void compact_array_length(int32_t n);  // -1 = null array

    // Either form, chosen by `flexible` (what every versioned codec needs).
    void string(std::string_view s, bool flexible);
    void nullable_string(const std::optional<std::string>& s, bool flexible);
    void bytes(byte_span b, bool flexible);
    void nullable_bytes(std::optional<byte_span> b, bool flexible);
    void array_length(int32_t n, bool flexible);

    void empty_tagged_fields() { uvarint(0); }
    void tagged_fields(const protocol::tagged_fields& fields);  // must be sorted by tag

    // Length prefixes: reserve 4 bytes, write the body, then patch the value in.
    std::size_t reserve_int32();
    void patch_int32(std::size_t pos, int32_t v);

  private:
    byte_vector own_{};
    byte_vector* out_;
};

class reader {
  public:
    explicit reader(byte_span data) noexcept : data_(data) {}

    std::size_t position() const noexcept { return pos_; }
    std::size_t remaining() const noexcept { return data_.size() - pos_; }
    bool empty() const noexcept { return pos_ == data_.size(); }
    byte_span rest() const noexcept { return data_.subspan(pos_); }

    int8_t int8();
    int16_t int16();
    int32_t int32();
    uint32_t uint32();
    int64_t int64();
    bool boolean() { return int8() != 0; }
    uint32_t uvarint();
    uint64_t uvarlong();
    int32_t varint();
    int64_t varlong();
    byte_span raw(std::size_t n);  // a view; no copy
    void skip(std::size_t n) { raw(n); }
    protocol::uuid uuid();

    std::string string();
    std::optional<std::string> nullable_string();
    byte_vector bytes();
    std::optional<byte_vector> nullable_bytes();
    // Views into the input (no copy); nullopt for null.
    std::optional<byte_span> nullable_bytes_view();
    int32_t array_length();  // -1 = null; throws when the count exceeds remaining bytes

    std::string compact_string();
    std::optional<std::string> compact_nullable_string();
    byte_vector compact_bytes();
    std::optional<byte_vector> compact_nullable_bytes();
    std::optional<byte_span> compact_nullable_bytes_view();
    int32_t compact_array_length();  // -1 = null

    std::string string(bool flexible);
    std::optional<std::string> nullable_string(bool flexible);
    byte_vector bytes(bool flexible);
    std::optional<byte_vector> nullable_bytes(bool flexible);
    std::optional<byte_span> nullable_bytes_view(bool flexible);
    int32_t array_length(bool flexible);
    // A non-null array: null is corrupt here.
    int32_t count(bool flexible);

    protocol::tagged_fields tagged_fields();
    void skip_tagged_fields();

    // Throws CORRUPT_MESSAGE naming `what` and the current position.
    [[noreturn]] void fail(std::string_view what) const;

  private:
    const std::byte* take(std::size_t n, std::string_view what);
    int32_t checked_count(int64_t n, std::string_view what);

    byte_span data_{};
    std::size_t pos_ = 0;
};

// Reads an int32 / int16 ... from a tagged field's raw bytes.
inline reader tag_reader(const tagged_field& f) {
    return reader(f.data);
}

}  // namespace kb::kafka::protocol
