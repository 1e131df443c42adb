#include <kb/runtime/error.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::storage::format {

namespace {

// One GET of the tail usually covers the trailer and the whole footer.
constexpr std::uint64_t tail_guess = 64 * 1024;

std::string name_of(const backend& b, const std::string& key) {
    auto root = b.describe();
    return root.empty() ? key : root + "/" + key;
}

awaitable<shared_buffer> read_exact(backend& b, std::string key, std::string name,
                                    std::uint64_t offset, std::uint64_t length) {
    auto data = co_await b.get(key, byte_range{offset, length});
    if (data.size() != length)
        throw_corrupt(name, "range", offset,
                      fmt::format("got {} of {} bytes (object changed?)", data.size(), length),
                      kb::reason::segment_truncated);
    co_return data;
}

}  // namespace

awaitable<segment_reader> segment_reader::open(backend& b, std::string key,
                                               segment_read_options opts) {
    segment_reader r;
    r.backend_ = &b;
    r.name_ = name_of(b, key);
    r.key_ = std::move(key);
    r.opts_ = opts;
    auto info = co_await b.head(r.key_);
    if (!info)
        throw kb::error(error_class::not_found, "NoSuchKey",
                        fmt::format("segment {}: does not exist", r.name_), reason::object_missing);
    auto size = info->size;
    if (size < header_size + trailer_size)
        throw_corrupt(r.name_, "end", size, "object too short to be a segment",
                      kb::reason::segment_truncated);
    auto tail_len = std::min(size, tail_guess);
    auto tail = co_await read_exact(b, r.key_, r.name_, size - tail_len, tail_len);
    auto trailer = decode_trailer(tail.bytes().last(trailer_size), size, r.name_);
    if (trailer.footer_size > opts.max_footer)
        throw_corrupt(r.name_, "trailer", size - trailer_size, "footer larger than the limit");
    auto tail_start = size - tail_len;
    shared_buffer footer_bytes;
    if (trailer.footer_offset >= tail_start)
        footer_bytes = tail.slice(trailer.footer_offset - tail_start, trailer.footer_size);
    else
        footer_bytes =
            co_await read_exact(b, r.key_, r.name_, trailer.footer_offset, trailer.footer_size);
    r.footer_ = decode_footer(footer_bytes.bytes(), trailer, r.name_);
    shared_buffer head_bytes;
    if (tail_start == 0)
        head_bytes = tail.slice(0, header_size);
    else
        head_bytes = co_await read_exact(b, r.key_, r.name_, 0, header_size);
    r.header_ = decode_header(head_bytes.bytes(), r.name_);
    co_return r;
}

segment_reader segment_reader::from_source(std::string key, std::string name, segment_header header,
                                           segment_footer footer,
                                           std::shared_ptr<frame_source> source) {
    segment_reader r;
    r.key_ = std::move(key);
    r.name_ = std::move(name);
    r.header_ = header;
    r.footer_ = std::move(footer);
    r.source_ = std::move(source);
    return r;
}

void segment_reader::seek(std::int64_t offset) {
    auto& frames = footer_.frames;
    auto it = std::partition_point(frames.begin(), frames.end(), [offset](const frame_info& f) {
        return f.last_offset < offset;
    });
    next_ = static_cast<std::size_t>(it - frames.begin());
}

awaitable<std::optional<decoded_frame>> segment_reader::next() {
    if (next_ >= footer_.frames.size()) co_return std::nullopt;
    co_return co_await read_frame(next_++);
}

awaitable<decoded_frame> segment_reader::read_frame(std::size_t index) {
    if (index >= footer_.frames.size())
        throw std::out_of_range(fmt::format("segment {}: no frame {}", name_, index));
    if (source_) co_return source_->frame(index);
    auto& f = footer_.frames[index];
    auto stored = co_await read_exact(*backend_, key_, name_, f.stored_offset, f.stored_size);
    co_return decode_frame(header_.compression, f, index, stored, name_, opts_);
}

}  // namespace kb::storage::format
