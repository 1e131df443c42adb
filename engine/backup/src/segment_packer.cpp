// segment_packer: frames compressed inline or spread over the pool's shards.
#include "segment_packer.hpp"

namespace kb::backup {

namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

void append(segment_packer::pieces& to, segment_packer::pieces from) {
    for (auto& p : from) to.push_back(std::move(p));
}

// What a frame holds while it is out: its batches, and its compressed form, which
// can exceed the input by a little (incompressible data) plus the codec's block.
std::size_t frame_cost(const sf::raw_frame& f) {
    return static_cast<std::size_t>(2 * f.info.raw_size + f.info.raw_size / 64 + 64 * 1024);
}

}  // namespace

bool compress_elsewhere(sf::codec c, std::size_t partitions, std::size_t shards) {
    return c != sf::codec::none && shards > 1 && partitions < shards;
}

segment_packer::segment_packer(sf::segment_writer_options options, packer_offload offload)
    : codec_(options.compression),
      level_(options.level),
      writer_(std::move(options)),
      budget_(std::move(offload.budget)) {
    if (offload.pool) out_.emplace(*offload.pool, offload.home_shard, offload.limit);
}

awaitable<segment_packer::pieces> segment_packer::add(runtime::shared_buffer batch,
                                                      sf::batch_meta meta) {
    if (!out_) co_return writer_.add(std::move(batch), meta);
    auto closed = writer_.cut(std::move(batch), meta);
    pieces none;
    if (!closed) co_return none;
    co_return co_await send(std::move(*closed));
}

awaitable<segment_packer::pieces> segment_packer::finish() {
    if (!out_) co_return writer_.finish();
    pieces out;
    if (auto last = writer_.cut_last()) {
        auto sent = co_await send(std::move(*last));
        append(out, std::move(sent));
    }
    while (!out_->empty()) co_await take_oldest(out);
    append(out, writer_.finish());
    co_return out;
}

awaitable<void> segment_packer::take_oldest(pieces& out) {
    auto packed = co_await out_->take();
    append(out, writer_.put(std::move(packed)));
}

awaitable<segment_packer::pieces> segment_packer::send(sf::raw_frame frame) {
    pieces out;
    if (out_->full()) co_await take_oldest(out);
    auto permit = budget_ ? budget_->try_acquire(frame_cost(frame))
                          : std::optional<runtime::byte_permit>(runtime::byte_permit{});
    while (!permit && !out_->empty()) {
        co_await take_oldest(out);
        permit = budget_->try_acquire(frame_cost(frame));
    }
    if (!permit) {  // no room for one more frame out: compress it here, in its turn
        append(out, writer_.put(sf::pack_frame(codec_, level_, std::move(frame))));
        co_return out;
    }
    out_->start([c = codec_, l = level_,
                 f = std::move(frame)]() mutable { return sf::pack_frame(c, l, std::move(f)); },
                std::move(*permit));
    co_return out;
}

}  // namespace kb::backup
