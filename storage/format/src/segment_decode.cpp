#include "codec.hpp"
#include "kafka_batch.hpp"

#include <kb/storage/checksum.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <fmt/format.h>

namespace kb::storage::format {

namespace {

// Walks the batches of a decoded frame and checks them against the index entry.
void check_batches(const frame_info& info, std::size_t index, std::span<const std::byte> raw,
                   const std::string& name, const segment_read_options& opts) {
    auto where = fmt::format("frame {}", index);
    std::uint64_t pos = 0;
    std::uint32_t count = 0;
    std::uint64_t records = 0;
    std::int64_t last = 0;
    while (pos < raw.size()) {
        std::string problem;
        auto p = detail::peek_batch(raw.subspan(pos), problem);
        auto at = fmt::format("batch {} (raw byte {})", count, pos);
        if (!p) throw_corrupt(name, where, info.stored_offset, at + ": " + problem);
        if (count == 0 && p->base_offset != info.first_offset)
            throw_corrupt(name, where, info.stored_offset,
                          at + ": first offset disagrees with the index");
        if (opts.verify_kafka_crc && !detail::batch_crc_ok(raw.subspan(pos, p->size), *p))
            throw_corrupt(name, where, info.stored_offset,
                          at + ": Kafka record batch CRC mismatch");
        pos += p->size;
        records += static_cast<std::uint32_t>(p->record_count);
        last = p->last_offset;
        ++count;
    }
    if (count != info.batch_count || last != info.last_offset || records != info.record_count)
        throw_corrupt(name, where, info.stored_offset,
                      "batches disagree with the index (count, last offset or records)");
}

}  // namespace

namespace {

// The frame's size and CRC against its index entry, and its raw size against the limit.
void check_stored(const frame_info& info, std::size_t index, std::span<const std::byte> stored,
                  const std::string& name, const segment_read_options& opts) {
    auto where = fmt::format("frame {}", index);
    if (stored.size() != info.stored_size)
        throw_corrupt(name, where, info.stored_offset, "short read", kb::reason::segment_truncated);
    auto crc = crc32c(stored);
    if (crc != info.checksum)
        throw_corrupt(name, where, info.stored_offset,
                      fmt::format("checksum mismatch (index says {:08x}, data has {:08x})",
                                  info.checksum, crc));
    if (info.raw_size > opts.max_frame_raw)
        throw_corrupt(name, where, info.stored_offset,
                      fmt::format("raw size {} exceeds the reader's limit {}", info.raw_size,
                                  opts.max_frame_raw));
}

runtime::shared_buffer decompressed(codec c, const frame_info& info, std::size_t index,
                                    std::span<const std::byte> stored, const std::string& name) {
    std::vector<std::byte> raw(info.raw_size);
    try {
        detail::decompress_frame(c, stored, raw);
    } catch (const std::runtime_error& e) {
        throw_corrupt(name, fmt::format("frame {}", index), info.stored_offset, e.what());
    }
    return runtime::shared_buffer::adopt(std::move(raw));
}

}  // namespace

decoded_frame decode_frame(codec c, const frame_info& info, std::size_t index,
                           std::span<const std::byte> stored, const std::string& name,
                           const segment_read_options& opts) {
    check_stored(info, index, stored, name, opts);
    auto raw = decompressed(c, info, index, stored, name);
    check_batches(info, index, raw.bytes(), name, opts);
    return {index, info, std::move(raw)};
}

decoded_frame decode_frame(codec c, const frame_info& info, std::size_t index,
                           const runtime::shared_buffer& stored, const std::string& name,
                           const segment_read_options& opts) {
    if (c != codec::none) return decode_frame(c, info, index, stored.bytes(), name, opts);
    check_stored(info, index, stored.bytes(), name, opts);
    if (stored.size() != info.raw_size)
        throw_corrupt(name, fmt::format("frame {}", index), info.stored_offset,
                      "stored size differs from raw size for an uncompressed frame");
    check_batches(info, index, stored.bytes(), name, opts);
    return {index, info, stored};  // the stored bytes are the batches: no copy
}

std::vector<runtime::shared_buffer> split_batches(const runtime::shared_buffer& raw) {
    std::vector<runtime::shared_buffer> out;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        std::string problem;
        auto p = detail::peek_batch(raw.bytes().subspan(pos), problem);
        if (!p) throw std::invalid_argument("split_batches: " + problem);
        out.push_back(raw.slice(pos, p->size));
        pos += p->size;
    }
    return out;
}

segment_footer verify_segment(std::span<const std::byte> object, const std::string& name,
                              const segment_read_options& opts) {
    if (object.size() < header_size + trailer_size)
        throw_corrupt(name, "end", object.size(), "object too short to be a segment",
                      kb::reason::segment_truncated);
    auto header = decode_header(object, name);
    auto trailer = decode_trailer(object.last(trailer_size), object.size(), name);
    if (trailer.footer_size > opts.max_footer)
        throw_corrupt(name, "trailer", object.size() - trailer_size,
                      "footer larger than the limit");
    auto footer =
        decode_footer(object.subspan(trailer.footer_offset, trailer.footer_size), trailer, name);
    for (std::size_t i = 0; i < footer.frames.size(); ++i) {
        auto& f = footer.frames[i];
        decode_frame(header.compression, f, i, object.subspan(f.stored_offset, f.stored_size), name,
                     opts);
    }
    return footer;
}

}  // namespace kb::storage::format
