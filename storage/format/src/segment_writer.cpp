#include "chunk_sink.hpp"
#include "codec.hpp"
#include "kafka_batch.hpp"

#include <kb/storage/format/segment_writer.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>

namespace kb::storage::format {

struct segment_writer::impl {
    explicit impl(segment_writer_options o)
        : opts(std::move(o)),
          compressor(detail::make_compressor(opts.compression, opts.level)),
          sink(std::max<std::size_t>(opts.chunk_size, 4096)) {
        if (opts.max_frame_raw == 0) throw std::invalid_argument("max_frame_raw must be > 0");
        if (opts.topic.size() > std::numeric_limits<std::uint16_t>::max())
            throw std::invalid_argument("topic name too long");
        auto h = encode_header({segment_version, opts.compression});
        sink.append(h);
    }

    void check_batch(const runtime::shared_buffer& batch, const batch_meta& m) const;
    void start_frame_info();
    void open_frame();
    void close_frame();
    raw_frame cut_frame();
    void account(const runtime::shared_buffer& batch, const batch_meta& m);
    void use(bool cut_mode);

    segment_writer_options opts;
    std::unique_ptr<detail::frame_compressor> compressor;
    detail::chunk_sink sink;
    segment_footer footer;
    std::optional<frame_info> frame;  // the open frame
    std::size_t batches = 0;
    std::uint64_t raw_total = 0;
    bool finished = false;
    segment_summary summary;
    // Compression elsewhere: the open frame's batches, and the first offsets of the
    // frames cut but not yet put, oldest first.
    std::optional<bool> cutting;  // unset until the first add() or cut()
    std::vector<runtime::shared_buffer> cut_batches;
    std::deque<std::int64_t> awaiting;
};

void segment_writer::impl::use(bool cut_mode) {
    if (finished) throw std::logic_error("segment_writer used after finish");
    if (cutting && *cutting != cut_mode)
        throw std::logic_error("segment_writer: add() and cut()/put() cannot be mixed");
    cutting = cut_mode;
}

void segment_writer::impl::check_batch(const runtime::shared_buffer& batch,
                                       const batch_meta& m) const {
    std::string problem;
    auto p = detail::peek_batch(batch.bytes(), problem);
    if (p && p->size != batch.size())
        problem =
            fmt::format("batch length field says {} bytes, buffer has {}", p->size, batch.size());
    else if (p && (p->base_offset != m.first_offset || p->last_offset != m.last_offset ||
                   p->record_count != static_cast<std::int32_t>(m.record_count)))
        problem = "batch header disagrees with its offsets or record count";
    else if (p && batches > 0 && m.first_offset <= footer.last_offset)
        problem = fmt::format("batch at offset {} does not follow offset {}", m.first_offset,
                              footer.last_offset);
    else if (p && m.min_timestamp > m.max_timestamp)
        problem = "min timestamp above max timestamp";
    if (!problem.empty())
        throw std::invalid_argument(
            fmt::format("segment of {}-{}: {}", opts.topic, opts.partition, problem));
}

void segment_writer::impl::start_frame_info() {
    frame.emplace();
    frame->first_offset = std::numeric_limits<std::int64_t>::max();
    frame->min_timestamp = std::numeric_limits<std::int64_t>::max();
    frame->max_timestamp = std::numeric_limits<std::int64_t>::min();
}

void segment_writer::impl::open_frame() {
    start_frame_info();
    frame->stored_offset = sink.position();
    sink.start_frame();
    compressor->begin();
}

raw_frame segment_writer::impl::cut_frame() {
    raw_frame out{std::exchange(cut_batches, {}), *frame};
    awaiting.push_back(frame->first_offset);
    frame.reset();
    return out;
}

void segment_writer::impl::close_frame() {
    compressor->end(sink);
    frame->stored_size = sink.position() - frame->stored_offset;
    frame->checksum = sink.frame_crc();
    footer.frames.push_back(*frame);
    frame.reset();
}

void segment_writer::impl::account(const runtime::shared_buffer& batch, const batch_meta& m) {
    auto& f = *frame;
    f.raw_size += batch.size();
    f.first_offset = std::min(f.first_offset, m.first_offset);
    f.last_offset = m.last_offset;
    f.min_timestamp = std::min(f.min_timestamp, m.min_timestamp);
    f.max_timestamp = std::max(f.max_timestamp, m.max_timestamp);
    f.record_count += m.record_count;
    ++f.batch_count;
    if (batches == 0) footer.first_offset = m.first_offset;
    footer.last_offset = m.last_offset;
    ++batches;
    raw_total += batch.size();
}

segment_writer::segment_writer(segment_writer_options opts)
    : impl_(std::make_unique<impl>(std::move(opts))) {}
segment_writer::~segment_writer() = default;
segment_writer::segment_writer(segment_writer&&) noexcept = default;
segment_writer& segment_writer::operator=(segment_writer&&) noexcept = default;

std::vector<runtime::shared_buffer> segment_writer::add(runtime::shared_buffer batch,
                                                        const batch_meta& meta) {
    auto& m = *impl_;
    m.use(false);
    m.check_batch(batch, meta);
    if (m.frame && m.frame->raw_size + batch.size() > m.opts.max_frame_raw) m.close_frame();
    if (!m.frame) m.open_frame();
    m.compressor->feed(batch, m.sink);
    m.account(batch, meta);
    return m.sink.take();
}

std::vector<runtime::shared_buffer> segment_writer::finish() {
    auto& m = *impl_;
    if (m.finished) throw std::logic_error("segment_writer::finish called twice");
    if (m.batches == 0)
        throw std::logic_error("segment_writer::finish with no batch: segments are never empty");
    if (*m.cutting && (m.frame || !m.awaiting.empty()))
        throw std::logic_error("segment_writer::finish before every cut frame was put");
    if (!*m.cutting) m.close_frame();
    auto& f = m.footer;
    f.topic = m.opts.topic;
    f.partition = m.opts.partition;
    f.min_timestamp = std::numeric_limits<std::int64_t>::max();
    f.max_timestamp = std::numeric_limits<std::int64_t>::min();
    for (auto& fr : f.frames) {
        f.record_count += fr.record_count;
        f.raw_bytes += fr.raw_size;
        f.min_timestamp = std::min(f.min_timestamp, fr.min_timestamp);
        f.max_timestamp = std::max(f.max_timestamp, fr.max_timestamp);
    }
    auto footer_offset = m.sink.position();
    auto footer_bytes = encode_footer(f);
    m.sink.append(footer_bytes);
    m.sink.append(encode_trailer({footer_offset, static_cast<std::uint32_t>(footer_bytes.size())}));
    m.sink.flush();
    m.finished = true;
    m.summary = {f.first_offset,    f.last_offset,       f.min_timestamp,
                 f.max_timestamp,   f.record_count,      f.raw_bytes,
                 m.sink.position(), m.sink.object_crc(), f.frames.size()};
    return m.sink.take();
}

std::optional<raw_frame> segment_writer::cut(runtime::shared_buffer batch, const batch_meta& meta) {
    auto& m = *impl_;
    m.use(true);
    m.check_batch(batch, meta);
    std::optional<raw_frame> closed;
    if (m.frame && m.frame->raw_size + batch.size() > m.opts.max_frame_raw) closed = m.cut_frame();
    if (!m.frame) m.start_frame_info();
    m.account(batch, meta);
    m.cut_batches.push_back(std::move(batch));
    return closed;
}

std::optional<raw_frame> segment_writer::cut_last() {
    auto& m = *impl_;
    m.use(true);
    if (!m.frame) return std::nullopt;
    return m.cut_frame();
}

std::vector<runtime::shared_buffer> segment_writer::put(packed_frame f) {
    auto& m = *impl_;
    m.use(true);
    if (m.awaiting.empty() || m.awaiting.front() != f.info.first_offset)
        throw std::logic_error(
            fmt::format("segment_writer::put: frame at offset {} is not the "
                        "oldest frame cut",
                        f.info.first_offset));
    m.awaiting.pop_front();
    f.info.stored_offset = m.sink.position();
    m.sink.start_frame();
    for (auto& piece : f.bytes) m.sink.append_shared(std::move(piece));
    f.info.stored_size = m.sink.position() - f.info.stored_offset;
    f.info.checksum = m.sink.frame_crc();
    m.footer.frames.push_back(f.info);
    return m.sink.take();
}

std::size_t segment_writer::batch_count() const noexcept {
    return impl_->batches;
}
std::uint64_t segment_writer::raw_bytes() const noexcept {
    return impl_->raw_total;
}
std::uint64_t segment_writer::stored_bytes() const noexcept {
    return impl_->sink.position();
}

const segment_summary& segment_writer::summary() const {
    if (!impl_->finished) throw std::logic_error("segment_writer::summary before finish");
    return impl_->summary;
}

}  // namespace kb::storage::format
