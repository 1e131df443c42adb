// frame_prefetch: GETs read ahead, frames decoded on the pool's shards, in order.
#include "frame_prefetch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace kb::restore::detail {

namespace asio = boost::asio;
namespace sf = storage::format;
using asio::awaitable;

// One frame out: its GET and decoding, touched only on the partition's shard.
struct frame_prefetch::slot {
    std::size_t index = 0;
    runtime::byte_permit permit;
    runtime::shared_buffer raw;
    std::exception_ptr error;
    bool started = false;
    bool done = false;
    asio::cancellation_signal signal;
};

// Lets a read that ends after the prefetch is gone find out nobody waits.
struct frame_prefetch::link {
    asio::steady_timer* wake = nullptr;
};

namespace {

// Everything a read needs, by value: it may outlive the prefetch and the reader.
struct frame_read {
    storage::backend* backend = nullptr;
    std::string key;
    std::string name;
    sf::codec codec = sf::codec::none;
    sf::frame_info info;
    std::size_t index = 0;
    runtime::shard_pool* pool = nullptr;
    std::size_t shard = 0;
};

awaitable<runtime::shared_buffer> decode_on_shard(frame_read r, runtime::shared_buffer stored) {
    co_return sf::decode_frame(r.codec, r.info, r.index, stored, r.name).raw;
}

awaitable<runtime::shared_buffer> load(frame_read r, std::shared_ptr<frame_prefetch::slot> s) {
    s->started = true;
    std::optional<storage::byte_range> range =
        storage::byte_range{r.info.stored_offset, r.info.stored_size};
    auto stored = co_await r.backend->get(r.key, range);
    if (!r.pool) co_return sf::decode_frame(r.codec, r.info, r.index, stored, r.name).raw;
    auto pool = r.pool;
    auto shard = r.shard;
    co_return co_await pool->run_on_async(shard, decode_on_shard(std::move(r), std::move(stored)));
}

}  // namespace

frame_prefetch::frame_prefetch(storage::backend& b, const sf::segment_reader& reader,
                               std::vector<std::size_t> frames,
                               std::shared_ptr<runtime::byte_budget> budget,
                               prefetch_options options)
    : backend_(b),
      reader_(reader),
      frames_(std::move(frames)),
      budget_(std::move(budget)),
      options_(std::move(options)),
      next_shard_(options_.home_shard + 1),
      link_(std::make_shared<link>()) {
    if (options_.depth < 1) options_.depth = 1;
}

frame_prefetch::~frame_prefetch() {
    link_->wake = nullptr;
    for (auto& s : window_)
        if (s->started && !s->done) s->signal.emit(asio::cancellation_type::terminal);
}

void frame_prefetch::issue(runtime::byte_permit permit) {
    auto s = std::make_shared<slot>();
    s->index = frames_[next_++];
    s->permit = std::move(permit);
    window_.push_back(s);
    frame_read r{&backend_,
                 reader_.key(),
                 reader_.name(),
                 reader_.header().compression,
                 reader_.footer().frames.at(s->index),
                 s->index,
                 options_.decode_pool,
                 0};
    if (r.pool) r.shard = next_shard_++ % r.pool->size();
    auto on_done = [s, l = link_](std::exception_ptr e, runtime::shared_buffer raw) {
        s->done = true;
        s->error = e;
        s->raw = std::move(raw);
        if (l->wake) l->wake->cancel();
    };
    asio::co_spawn(wake_->get_executor(), load(std::move(r), s),
                   asio::bind_cancellation_slot(s->signal.slot(), std::move(on_done)));
}

// Read-ahead: more frames only while the budget has room right now.
void frame_prefetch::fill_ahead() {
    while (static_cast<int>(window_.size()) < options_.depth && next_ < frames_.size()) {
        auto p = budget_->try_acquire(options_.cost(reader_.footer().frames.at(frames_[next_])));
        if (!p) return;
        issue(std::move(*p));
    }
}

awaitable<void> frame_prefetch::wait() {
    co_await wake_->async_wait(asio::as_tuple(asio::use_awaitable));
    auto cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none)
        throw boost::system::system_error(asio::error::operation_aborted);
}

awaitable<std::optional<prefetched_frame>> frame_prefetch::next() {
    if (!wake_) {
        wake_.emplace(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
        link_->wake = &*wake_;
    }
    if (reader_.in_memory()) {  // frames already in memory: nothing to read ahead
        if (next_ >= frames_.size()) co_return std::nullopt;
        const auto index = frames_[next_++];
        auto permit = co_await budget_->acquire(options_.cost(reader_.footer().frames.at(index)));
        auto reader = reader_;  // read_frame is not const; an in-memory reader copies cheaply
        auto frame = co_await reader.read_frame(index);
        co_return prefetched_frame{frame.raw, std::move(permit)};
    }
    if (window_.empty()) {
        if (next_ >= frames_.size()) co_return std::nullopt;
        auto permit =
            co_await budget_->acquire(options_.cost(reader_.footer().frames.at(frames_[next_])));
        issue(std::move(permit));
    }
    fill_ahead();
    auto front = window_.front();
    while (!front->done) co_await wait();
    window_.pop_front();
    if (front->error) std::rethrow_exception(front->error);
    fill_ahead();  // the freed room starts the next read while the caller works
    co_return prefetched_frame{std::move(front->raw), std::move(front->permit)};
}

awaitable<void> frame_prefetch::stop() {
    // Also after the caller was cancelled: the reads must end before the backend goes.
    co_await asio::this_coro::reset_cancellation_state();
    for (auto& s : window_)
        if (s->started && !s->done) s->signal.emit(asio::cancellation_type::terminal);
    while (!window_.empty()) {
        if (!window_.front()->done) {
            co_await wake_->async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        window_.pop_front();
    }
}

}  // namespace kb::restore::detail
