// OSO segments served as frames of Kafka v2 batches (see open_segment.hpp).
#include <kb/segments/oso_frames.hpp>

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>
#include <kb/segments/open_segment.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace kb::segments {

namespace sf = storage::format;
namespace kp = kafka::protocol;

namespace {

// In a planned frame_info, stored_offset/stored_size are the frame's byte range in
// the decompressed records (there is no compressed frame to point at).
struct frame_builder {
    std::vector<sf::frame_info> frames;
    std::size_t max_bytes;

    bool fits(const sf::frame_info& f, const sf::oso_record& r, std::size_t size) const {
        return f.record_count > 0 && f.stored_size + size <= max_bytes &&
               r.offset - f.first_offset <= std::numeric_limits<std::int32_t>::max();
    }
    void add(const sf::oso_record& r, std::size_t begin, std::size_t end) {
        if (frames.empty() || !fits(frames.back(), r, end - begin)) {
            frames.push_back({.stored_offset = begin,
                              .raw_size = kp::batch_header_size,
                              .first_offset = r.offset,
                              .min_timestamp = r.timestamp,
                              .max_timestamp = r.timestamp,
                              .batch_count = 1});
        }
        auto& f = frames.back();
        f.stored_size = end - f.stored_offset;
        f.raw_size += end - begin;  // an estimate: v2 records are usually a little smaller
        f.last_offset = r.offset;
        f.min_timestamp = std::min(f.min_timestamp, r.timestamp);
        f.max_timestamp = std::max(f.max_timestamp, r.timestamp);
        ++f.record_count;
    }
};

std::string name_of(const storage::backend& b, const std::string& key) {
    auto root = b.describe();
    return root.empty() ? key : root + "/" + key;
}

// "…/topics/{topic}/partition={p}/segment-…": the footer's topic and partition, if the key says.
void topic_from_key(const std::string& key, sf::segment_footer& f) {
    auto part = key.rfind("/partition=");
    auto topics = key.rfind("/topics/", part);
    if (part == std::string::npos || topics == std::string::npos) return;
    f.topic = key.substr(topics + 8, part - topics - 8);
    try {
        f.partition = std::stoi(key.substr(part + 11));
    } catch (const std::exception&) {
        f.partition = 0;
    }
}

sf::segment_footer footer_of(const sf::oso_segment& seg, std::vector<sf::frame_info> frames,
                             const std::string& key) {
    sf::segment_footer f;
    topic_from_key(key, f);
    f.first_offset = seg.first_offset;
    f.last_offset = seg.last_offset;
    f.record_count = seg.record_count;
    f.min_timestamp = frames.empty() ? 0 : std::numeric_limits<std::int64_t>::max();
    f.max_timestamp = frames.empty() ? 0 : std::numeric_limits<std::int64_t>::min();
    for (const auto& fr : frames) {
        f.min_timestamp = std::min(f.min_timestamp, fr.min_timestamp);
        f.max_timestamp = std::max(f.max_timestamp, fr.max_timestamp);
        f.raw_bytes += fr.raw_size;
    }
    f.frames = std::move(frames);
    return f;
}

class oso_frames final : public sf::frame_source {
  public:
    oso_frames(sf::oso_segment seg, std::string name, std::vector<sf::frame_info> frames)
        : seg_(std::move(seg)), name_(std::move(name)), frames_(std::move(frames)) {}

    sf::decoded_frame frame(std::size_t index) override {
        const auto& f = frames_.at(index);
        auto batch = oso_frame_batch(seg_, f, name_);
        sf::decoded_frame out{.index = index, .info = f};
        out.info.raw_size = batch.size();
        out.raw = runtime::shared_buffer::adopt(std::move(batch));
        return out;
    }

  private:
    sf::oso_segment seg_;
    std::string name_;
    std::vector<sf::frame_info> frames_;
};

}  // namespace

std::vector<sf::frame_info> plan_oso_frames(const sf::oso_segment& seg, const std::string& name,
                                            std::size_t max_bytes) {
    frame_builder b{.max_bytes = max_bytes};
    sf::for_each_oso_record(
        seg, name,
        [&](const sf::oso_record& r, std::size_t begin, std::size_t end) { b.add(r, begin, end); });
    return std::move(b.frames);
}

std::vector<std::byte> oso_frame_batch(const sf::oso_segment& seg, const sf::frame_info& f,
                                       const std::string& name) {
    auto bytes = seg.records.bytes().subspan(f.stored_offset, f.stored_size);
    std::vector<kp::record_input> inputs;
    inputs.reserve(f.record_count);
    sf::oso_record r;
    for (std::size_t pos = 0; pos < bytes.size();) {
        pos = sf::read_oso_record(bytes, pos, r, name);
        kp::record_input in{.timestamp = r.timestamp,
                            .key = r.key,
                            .value = r.value,
                            .offset_delta = static_cast<std::int32_t>(r.offset - f.first_offset)};
        for (const auto& h : r.headers) in.headers.push_back({h.key, h.value});
        inputs.push_back(std::move(in));
    }
    return kp::encode_batch({.base_offset = f.first_offset}, inputs);
}

awaitable<sf::segment_reader> open_oso_segment(storage::backend& b, std::string key,
                                               sf::segment_read_options opts) {
    auto name = name_of(b, key);
    if (!co_await b.head(key))
        throw kb::error(error_class::not_found, "NoSuchKey",
                        fmt::format("segment {}: does not exist", name),
                        kb::reason::object_missing);
    auto object = co_await b.get(key);
    auto seg = sf::decode_oso_segment(object.bytes(), name, opts.max_frame_raw);
    object = {};
    auto frames = plan_oso_frames(seg, name, oso_frame_bytes);
    auto footer = footer_of(seg, frames, key);
    sf::segment_header header{.compression = seg.compression};
    auto source = std::make_shared<oso_frames>(std::move(seg), name, std::move(frames));
    co_return sf::segment_reader::from_source(std::move(key), std::move(name), header,
                                              std::move(footer), std::move(source));
}

}  // namespace kb::segments
