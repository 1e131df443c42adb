// validate --deep: stream a segment, check the object checksum, every frame,
// every batch CRC, offsets and record counts.
#include "validate_detail.hpp"

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>
#include <kb/segments/open_segment.hpp>
#include <kb/storage/checksum.hpp>
#include <kb/storage/format/segment_reader.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>

#include <regex>

namespace kb::inspect {
namespace sf = kb::storage::format;
namespace kp = kb::kafka::protocol;

namespace {

struct segment_ctx {
    const sf::topic_manifest& t;
    const sf::partition_manifest& p;
    const sf::segment_ref& s;
    validation_result& r;

    void add(std::string kind, std::string position, std::string message) {
        r.issues.push_back(
            {s.key, t.name, p.partition, std::move(kind), std::move(position), std::move(message)});
    }
};

// "... frame 3 at byte 1048576: ..." -> "frame 3 at byte 1048576", from format's messages.
std::string position_in(const std::string& message) {
    static const std::regex where(R"((frame \d+ )?at byte \d+)");
    std::smatch m;
    if (std::regex_search(message, m, where)) return m.str();
    return {};
}

std::string kind_of(const kb::error& e) {
    if (e.why() == kb::reason::segment_truncated) return "truncated";
    if (e.why() == kb::reason::segment_corrupt) return "corrupt";
    return "unreadable";
}

// The whole object's CRC32C, streamed range by range.
awaitable<bool> check_object_checksum(storage::backend& b, segment_ctx& c) {
    auto info = co_await b.head(c.s.key);
    if (!info) co_return false;
    storage::ranged_reader reader(b, c.s.key, {0, info->size}, nullptr,
                                  {.range_size = 4u << 20, .read_ahead = 2});
    std::uint32_t crc = 0;
    while (auto chunk = co_await reader.next()) {
        crc = storage::crc32c(chunk->bytes.bytes(), crc);
        c.r.bytes_checked += chunk->bytes.size();
    }
    auto actual = storage::format_crc32c(crc);
    if (!c.s.checksum.empty() && actual != c.s.checksum) {
        c.add("checksum_mismatch", "",
              fmt::format("object checksum is {}, the manifest says {}", actual, c.s.checksum));
        co_return false;
    }
    co_return true;
}

void check_footer(segment_ctx& c, const sf::segment_footer& f) {
    if (f.first_offset != c.s.first_offset || f.last_offset != c.s.last_offset ||
        f.record_count != c.s.record_count)
        c.add("footer_mismatch", "footer",
              fmt::format("footer says offsets {}..{} with {} records, the manifest {}..{} with {}",
                          f.first_offset, f.last_offset, f.record_count, c.s.first_offset,
                          c.s.last_offset, c.s.record_count));
}

// Walks the batches of one frame; `next` is the offset the next batch should start at.
void check_batches(segment_ctx& c, const sf::decoded_frame& frame, std::int64_t& next,
                   std::uint64_t& records) {
    for (const auto& batch : sf::split_batches(frame.raw)) {
        auto h = kp::parse_batch_header(batch.bytes());
        if (next >= 0 && h.base_offset != next) {
            bool ok = h.base_offset > next && gap_recorded(c.p, next, h.base_offset - 1);
            if (!ok)
                c.add(h.base_offset > next ? "offset_gap" : "offset_overlap",
                      fmt::format("frame {} offset {}", frame.index, h.base_offset),
                      fmt::format("batch starts at offset {}, expected {}", h.base_offset, next));
        }
        next = h.last_offset() + 1;
        records += static_cast<std::uint64_t>(h.record_count);
        ++c.r.batches_checked;
    }
}

awaitable<void> check_frames(storage::backend& b, segment_ctx& c) {
    auto reader = co_await segments::open_segment(b, c.s.key);
    check_footer(c, reader.footer());
    std::int64_t next = c.s.first_offset;
    std::uint64_t records = 0;
    while (auto frame = co_await reader.next()) check_batches(c, *frame, next, records);
    if (next != c.s.last_offset + 1)
        c.add("offset_gap", fmt::format("offset {}", next),
              fmt::format("batches end at offset {}, the manifest says {}", next - 1,
                          c.s.last_offset));
    if (records != c.s.record_count)
        c.add("record_count_mismatch", "",
              fmt::format("segment holds {} records, the manifest says {}", records,
                          c.s.record_count));
    c.r.records_checked += records;
}

}  // namespace

awaitable<void> deep_check_segment(storage::backend& b, const sf::topic_manifest& t,
                                   const sf::partition_manifest& p, const sf::segment_ref& s,
                                   validation_result& r) {
    segment_ctx c{t, p, s, r};
    try {
        // Both passes run even when the checksum differs: the frame walk says where.
        co_await check_object_checksum(b, c);
        co_await check_frames(b, c);
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        c.add(kind_of(e), position_in(e.what()), e.what());
    } catch (const std::exception& e) {
        if (kb::is_cancellation(e)) throw;  // an interrupted check is not a corrupt segment
        c.add("corrupt", position_in(e.what()), e.what());
    }
}

}  // namespace kb::inspect
