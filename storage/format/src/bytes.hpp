#pragma once
// Little-endian encoding helpers for the segment layout, and a bounds-checked
// cursor for decoding untrusted bytes. Big-endian reads are for the Kafka
// batch header fields (Kafka is big-endian on the wire).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace kb::storage::format::detail {

template <class T>
void put_le(std::vector<std::byte>& out, T value) {
    auto u = static_cast<std::make_unsigned_t<T>>(value);
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<std::byte>((u >> (8 * i)) & 0xFF));
}

template <class T>
T get_le(const std::byte* p) {
    std::make_unsigned_t<T> u = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        u |= static_cast<std::make_unsigned_t<T>>(std::to_integer<unsigned>(p[i])) << (8 * i);
    return static_cast<T>(u);
}

template <class T>
T get_be(const std::byte* p) {
    std::make_unsigned_t<T> u = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) u = (u << 8) | std::to_integer<unsigned>(p[i]);
    return static_cast<T>(u);
}

// Reads fields in order; throws std::out_of_range when the bytes run out.
class cursor {
  public:
    explicit cursor(std::span<const std::byte> b) : b_(b) {}
    template <class T>
    T le() {
        need(sizeof(T));
        T v = get_le<T>(b_.data() + pos_);
        pos_ += sizeof(T);
        return v;
    }
    std::string text(std::size_t n) {
        need(n);
        std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
        pos_ += n;
        return s;
    }
    std::size_t pos() const { return pos_; }
    std::size_t remaining() const { return b_.size() - pos_; }

  private:
    void need(std::size_t n) const {
        if (b_.size() - pos_ < n) throw std::out_of_range("field runs past the end");
    }
    std::span<const std::byte> b_;
    std::size_t pos_ = 0;
};

}  // namespace kb::storage::format::detail
