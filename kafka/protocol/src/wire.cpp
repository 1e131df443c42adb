// Wire primitives. Big-endian fixed ints, LEB128 varints (zig-zag for signed), and
// the classic / compact length-prefixed forms. The reader checks every length
// against the bytes that remain before touching or allocating anything.

#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <cstring>

namespace kb::kafka::protocol {
namespace {

template <class U>
void put_be(byte_vector& out, U v) {
    std::byte buf[sizeof(U)];
    for (std::size_t i = 0; i < sizeof(U); ++i) {
        buf[i] = static_cast<std::byte>(v >> (8 * (sizeof(U) - 1 - i)));
    }
    out.insert(out.end(), buf, buf + sizeof(U));
}

template <class U>
U get_be(const std::byte* p) {
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) v = U(v << 8) | U(std::to_integer<uint8_t>(p[i]));
    return v;
}

byte_span as_span(std::string_view s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

std::string to_string(byte_span b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace

// ---- uuid ----

bool uuid::is_zero() const noexcept {
    for (auto b : bytes)
        if (b != std::byte{0}) return false;
    return true;
}

std::string uuid::to_string() const {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (auto b : bytes) {
        acc = (acc << 8) | std::to_integer<uint8_t>(b);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(alphabet[(acc >> bits) & 0x3f]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(acc << (6 - bits)) & 0x3f]);
    return out;
}

// ---- writer ----

void writer::int8(int8_t v) {
    out_->push_back(static_cast<std::byte>(v));
}
void writer::int16(int16_t v) {
    put_be(*out_, static_cast<uint16_t>(v));
}
void writer::int32(int32_t v) {
    put_be(*out_, static_cast<uint32_t>(v));
}
void writer::uint32(uint32_t v) {
    put_be(*out_, v);
}
void writer::int64(int64_t v) {
    put_be(*out_, static_cast<uint64_t>(v));
}

void writer::uvarlong(uint64_t v) {
    while (v >= 0x80) {
        out_->push_back(static_cast<std::byte>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out_->push_back(static_cast<std::byte>(v));
}
void writer::uvarint(uint32_t v) {
    uvarlong(v);
}
void writer::varint(int32_t v) {
    uvarint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
}
void writer::varlong(int64_t v) {
    uvarlong((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void writer::raw(byte_span bytes) {
    out_->insert(out_->end(), bytes.begin(), bytes.end());
}
void writer::uuid(const protocol::uuid& id) {
    raw(id.bytes);
}

void writer::string(std::string_view s) {
    int16(static_cast<int16_t>(s.size()));
    raw(as_span(s));
}
void writer::nullable_string(const std::optional<std::string>& s) {
    if (!s) return int16(-1);
    string(*s);
}
void writer::bytes(byte_span b) {
    int32(static_cast<int32_t>(b.size()));
    raw(b);
}
void writer::nullable_bytes(std::optional<byte_span> b) {
    if (!b) return int32(-1);
    bytes(*b);
}
void writer::array_length(int32_t n) {
    int32(n);
}

void writer::compact_string(std::string_view s) {
    uvarint(static_cast<uint32_t>(s.size() + 1));
    raw(as_span(s));
}
void writer::compact_nullable_string(const std::optional<std::string>& s) {
    if (!s) return uvarint(0);
    compact_string(*s);
}
void writer::compact_bytes(byte_span b) {
    uvarint(static_cast<uint32_t>(b.size() + 1));
    raw(b);
}
void writer::compact_nullable_bytes(std::optional<byte_span> b) {
    if (!b) return uvarint(0);
    compact_bytes(*b);
}
void writer::compact_array_length(int32_t n) {
    uvarint(static_cast<uint32_t>(n + 1));
}

void writer::string(std::string_view s, bool flexible) {
    flexible ? compact_string(s) : string(s);
}
void writer::nullable_string(const std::optional<std::string>& s, bool flexible) {
    flexible ? compact_nullable_string(s) : nullable_string(s);
}
void writer::bytes(byte_span b, bool flexible) {
    flexible ? compact_bytes(b) : bytes(b);
}
void writer::nullable_bytes(std::optional<byte_span> b, bool flexible) {
    flexible ? compact_nullable_bytes(b) : nullable_bytes(b);
}
void writer::array_length(int32_t n, bool flexible) {
    flexible ? compact_array_length(n) : array_length(n);
}

void writer::tagged_fields(const protocol::tagged_fields& fields) {
    uvarint(static_cast<uint32_t>(fields.size()));
    for (const auto& f : fields) {
        uvarint(f.tag);
        uvarint(static_cast<uint32_t>(f.data.size()));
        raw(f.data);
    }
}

std::size_t writer::reserve_int32() {
    const std::size_t pos = out_->size();
    out_->resize(pos + 4);
    return pos;
}

void writer::patch_int32(std::size_t pos, int32_t v) {
    const auto u = static_cast<uint32_t>(v);
    for (std::size_t i = 0; i < 4; ++i)
        (*out_)[pos + i] = static_cast<std::byte>(u >> (24 - 8 * i));
}

// ---- reader ----

void reader::fail(std::string_view what) const {
    throw kb::error(
        error_class::fatal, "CORRUPT_MESSAGE",
        fmt::format("kafka protocol: malformed {} at byte {} of {}", what, pos_, data_.size()));
}

const std::byte* reader::take(std::size_t n, std::string_view what) {
    if (n > remaining()) {
        fail(fmt::format("{} (needs {} bytes, {} left)", what, n, remaining()));
    }
    const std::byte* p = data_.data() + pos_;
    pos_ += n;
    return p;
}

int8_t reader::int8() {
    return static_cast<int8_t>(*take(1, "int8"));
}
int16_t reader::int16() {
    return static_cast<int16_t>(get_be<uint16_t>(take(2, "int16")));
}
int32_t reader::int32() {
    return static_cast<int32_t>(get_be<uint32_t>(take(4, "int32")));
}
uint32_t reader::uint32() {
    return get_be<uint32_t>(take(4, "uint32"));
}
int64_t reader::int64() {
    return static_cast<int64_t>(get_be<uint64_t>(take(8, "int64")));
}

uint64_t reader::uvarlong() {
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        const auto b = std::to_integer<uint8_t>(*take(1, "varint"));
        // The 10th byte may only carry the 64th bit.
        if (shift == 63 && b > 1) fail("varlong (more than 64 bits)");
        v |= uint64_t(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return v;
    }
    fail("varlong (longer than 10 bytes)");
}

uint32_t reader::uvarint() {
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        const auto b = std::to_integer<uint8_t>(*take(1, "varint"));
        // The 5th byte may only carry the top 4 bits.
        if (shift == 28 && b > 0x0f) fail("varint (more than 32 bits)");
        v |= uint32_t(b & 0x7f) << shift;
        if ((b & 0x80) == 0) return v;
    }
    fail("varint (longer than 5 bytes)");
}

int32_t reader::varint() {
    const uint32_t u = uvarint();
    return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

int64_t reader::varlong() {
    const uint64_t u = uvarlong();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

byte_span reader::raw(std::size_t n) {
    return {take(n, "bytes"), n};
}

protocol::uuid reader::uuid() {
    protocol::uuid id;
    std::memcpy(id.bytes.data(), take(16, "uuid"), 16);
    return id;
}

std::string reader::string() {
    const int16_t n = int16();
    if (n < 0) fail("string length (negative)");
    return to_string(raw(std::size_t(n)));
}

std::optional<std::string> reader::nullable_string() {
    const int16_t n = int16();
    if (n == -1) return std::nullopt;
    if (n < 0) fail("nullable string length (negative)");
    return to_string(raw(std::size_t(n)));
}

byte_vector reader::bytes() {
    auto b = nullable_bytes_view();
    if (!b) fail("bytes (null where not nullable)");
    return {b->begin(), b->end()};
}

std::optional<byte_vector> reader::nullable_bytes() {
    auto b = nullable_bytes_view();
    if (!b) return std::nullopt;
    return byte_vector(b->begin(), b->end());
}

std::optional<byte_span> reader::nullable_bytes_view() {
    const int32_t n = int32();
    if (n == -1) return std::nullopt;
    if (n < 0) fail("bytes length (negative)");
    return raw(std::size_t(n));
}

int32_t reader::checked_count(int64_t n, std::string_view what) {
    // Every element takes at least one byte, so a count above the remaining bytes is a lie.
    if (n > int64_t(remaining())) {
        fail(fmt::format("{} (count {} exceeds {} remaining bytes)", what, n, remaining()));
    }
    return static_cast<int32_t>(n);
}

int32_t reader::array_length() {
    const int32_t n = int32();
    if (n == -1) return -1;
    if (n < 0) fail("array length (negative)");
    return checked_count(n, "array length");
}

std::string reader::compact_string() {
    auto s = compact_nullable_string();
    if (!s) fail("compact string (null where not nullable)");
    return std::move(*s);
}

std::optional<std::string> reader::compact_nullable_string() {
    const uint32_t n = uvarint();
    if (n == 0) return std::nullopt;
    return to_string(raw(n - 1));
}

byte_vector reader::compact_bytes() {
    auto b = compact_nullable_bytes_view();
    if (!b) fail("compact bytes (null where not nullable)");
    return {b->begin(), b->end()};
}

std::optional<byte_vector> reader::compact_nullable_bytes() {
    auto b = compact_nullable_bytes_view();
    if (!b) return std::nullopt;
    return byte_vector(b->begin(), b->end());
}

std::optional<byte_span> reader::compact_nullable_bytes_view() {
    const uint32_t n = uvarint();
    if (n == 0) return std::nullopt;
    return raw(n - 1);
}

int32_t reader::compact_array_length() {
    const uint32_t n = uvarint();
    if (n == 0) return -1;
    return checked_count(int64_t(n) - 1, "compact array length");
}

std::string reader::string(bool flexible) {
    return flexible ? compact_string() : string();
}
std::optional<std::string> reader::nullable_string(bool flexible) {
    return flexible ? compact_nullable_string() : nullable_string();
}
byte_vector reader::bytes(bool flexible) {
    return flexible ? compact_bytes() : bytes();
}
std::optional<byte_vector> reader::nullable_bytes(bool flexible) {
    return flexible ? compact_nullable_bytes() : nullable_bytes();
}
std::optional<byte_span> reader::nullable_bytes_view(bool flexible) {
    return flexible ? compact_nullable_bytes_view() : nullable_bytes_view();
}
int32_t reader::array_length(bool flexible) {
    return flexible ? compact_array_length() : array_length();
}
int32_t reader::count(bool flexible) {
    const int32_t n = array_length(flexible);
    if (n < 0) fail("array (null where not nullable)");
    return n;
}

protocol::tagged_fields reader::tagged_fields() {
    const int32_t n = checked_count(uvarint(), "tagged field count");
    protocol::tagged_fields out;
    for (int32_t i = 0; i < n; ++i) {
        tagged_field f;
        f.tag = uvarint();
        const auto data = raw(uvarint());
        f.data.assign(data.begin(), data.end());
        out.push_back(std::move(f));
    }
    return out;
}

void reader::skip_tagged_fields() {
    const int32_t n = checked_count(uvarint(), "tagged field count");
    for (int32_t i = 0; i < n; ++i) {
        uvarint();
        skip(uvarint());
    }
}

}  // namespace kb::kafka::protocol
