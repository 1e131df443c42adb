#include <kb/runtime/buffer.hpp>

#include <stdexcept>
#include <string>

namespace kb::runtime {

shared_buffer shared_buffer::adopt(std::vector<std::byte> bytes, byte_permit permit) {
    auto o = std::make_shared<owner>(owner{std::move(bytes), std::move(permit)});
    shared_buffer b;
    b.data_ = o->bytes.data();
    b.size_ = o->bytes.size();
    b.owner_ = std::move(o);
    return b;
}

shared_buffer shared_buffer::copy_of(std::span<const std::byte> bytes) {
    return adopt(std::vector<std::byte>(bytes.begin(), bytes.end()));
}

shared_buffer shared_buffer::copy_of(std::string_view text) {
    return copy_of(as_bytes(text));
}

shared_buffer shared_buffer::slice(std::size_t offset, std::size_t length) const {
    if (offset > size_ || length > size_ - offset)
        throw std::out_of_range("shared_buffer slice [" + std::to_string(offset) + ", +" +
                                std::to_string(length) + ") past size " + std::to_string(size_));
    shared_buffer b;
    b.owner_ = owner_;
    b.data_ = data_ + offset;
    b.size_ = length;
    return b;
}

}  // namespace kb::runtime
