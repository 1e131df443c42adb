#pragma once
// shared_buffer: an immutable byte range with shared ownership.
//
// The zero-copy currency of the pipelines: a Fetch response is read once into one
// buffer; record batches are slices of it; the segment writer, the compressor and
// the S3 upload read those slices without copying. The owner may also hold the
// byte_permit that paid for the memory, so the budget is credited back exactly
// when the last slice is dropped. Copying a shared_buffer copies a pointer.

#include <kb/runtime/byte_budget.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace kb::runtime {

class shared_buffer {
public:
    shared_buffer() = default;

    // Takes ownership of `bytes` (and of the permit that paid for them, if any).
    static shared_buffer adopt(std::vector<std::byte> bytes, byte_permit permit = {});
    static shared_buffer copy_of(std::span<const std::byte> bytes);
    static shared_buffer copy_of(std::string_view text);

    std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }
    const std::byte* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    std::string_view as_string_view() const noexcept {
        return {reinterpret_cast<const char*>(data_), size_};
    }

    // A view of [offset, offset + length) that shares ownership. Throws std::out_of_range.
    shared_buffer slice(std::size_t offset, std::size_t length) const;
    shared_buffer slice(std::size_t offset) const { return slice(offset, size_ - offset); }

private:
    struct owner {
        std::vector<std::byte> bytes;
        byte_permit permit;
    };
    std::shared_ptr<const owner> owner_;
    const std::byte* data_ = nullptr;
    std::size_t size_ = 0;
};

inline std::span<const std::byte> as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace kb::runtime
