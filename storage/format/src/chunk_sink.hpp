#pragma once
// chunk_sink: collects a segment's output into pieces of about `chunk_size`
// bytes, and keeps the running CRC32C of the whole object and of the current frame.

#include "codec.hpp"

#include <kb/storage/checksum.hpp>

#include <vector>

namespace kb::storage::format::detail {

class chunk_sink final : public frame_sink {
  public:
    explicit chunk_sink(std::size_t chunk_size) : chunk_size_(chunk_size) {}

    void append(std::span<const std::byte> bytes) override {
        count(bytes);
        while (!bytes.empty()) {
            if (current_.capacity() < chunk_size_) current_.reserve(chunk_size_);
            auto n = std::min(bytes.size(), chunk_size_ - current_.size());
            current_.insert(current_.end(), bytes.begin(), bytes.begin() + n);
            bytes = bytes.subspan(n);
            if (current_.size() == chunk_size_) flush();
        }
    }

    void append_shared(runtime::shared_buffer bytes) override {
        count(bytes.bytes());
        flush();
        if (!bytes.empty()) ready_.push_back(std::move(bytes));
    }

    // Emits the partial chunk too (at the end of the object).
    void flush() {
        if (current_.empty()) return;
        ready_.push_back(runtime::shared_buffer::adopt(std::move(current_)));
        current_ = {};
    }

    std::vector<runtime::shared_buffer> take() { return std::exchange(ready_, {}); }

    void start_frame() { frame_crc_ = 0; }
    std::uint32_t frame_crc() const { return frame_crc_; }
    std::uint32_t object_crc() const { return object_crc_; }
    std::uint64_t position() const { return position_; }

  private:
    void count(std::span<const std::byte> bytes) {
        frame_crc_ = crc32c(bytes, frame_crc_);
        object_crc_ = crc32c(bytes, object_crc_);
        position_ += bytes.size();
    }

    std::size_t chunk_size_;
    std::vector<std::byte> current_;
    std::vector<runtime::shared_buffer> ready_;
    std::uint32_t frame_crc_ = 0, object_crc_ = 0;
    std::uint64_t position_ = 0;
};

}  // namespace kb::storage::format::detail
