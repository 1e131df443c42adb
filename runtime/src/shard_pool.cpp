#include <kb/runtime/shard_pool.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <functional>

namespace kb::runtime {

// One io_context, its thread, and the cancellation signals of the work running
// on it. `signals` is touched only from that shard's thread.
struct shard_pool::shard {
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{
        io.get_executor()};
    std::list<boost::asio::cancellation_signal> signals;
    std::thread thread;
};

shard_pool::shard_pool(std::size_t shards) {
    if (shards == 0) shards = std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i < shards; ++i) {
        auto s = std::make_unique<shard>();
        s->thread = std::thread([io = &s->io] { io->run(); });
        shards_.push_back(std::move(s));
    }
}

shard_pool::~shard_pool() {
    stop(stop_mode::cancel);
}

boost::asio::any_io_executor shard_pool::executor(std::size_t shard) const {
    return shards_.at(shard)->io.get_executor();
}

std::size_t shard_pool::shard_for(std::string_view key) const noexcept {
    // FNV-1a: stable across runs and platforms, unlike std::hash.
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
    return h % size();
}

std::list<boost::asio::cancellation_signal>::iterator shard_pool::register_signal(std::size_t i) {
    auto& list = shards_.at(i)->signals;
    list.emplace_back();
    return std::prev(list.end());
}

void shard_pool::unregister_signal(std::size_t i,
                                   std::list<boost::asio::cancellation_signal>::iterator it) {
    shards_.at(i)->signals.erase(it);
}

void shard_pool::stop(stop_mode mode) {
    if (stopped_) return;
    stopped_ = true;
    for (auto& s : shards_) {
        if (mode == stop_mode::cancel) {
            boost::asio::post(s->io, [sh = s.get()] {
                for (auto& sig : sh->signals) sig.emit(boost::asio::cancellation_type::terminal);
            });
        }
        s->guard.reset();  // run() returns once the shard has no more work
    }
    for (auto& s : shards_)
        if (s->thread.joinable()) s->thread.join();
}

}  // namespace kb::runtime
