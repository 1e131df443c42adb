// Staged objects on the filesystem: a hidden temp file in the directory the
// object will live in, renamed into place on commit (same directory, so the
// rename is atomic and needs no copy).
//
// Unlike the rest of this backend, the writes and the fsync run on a side
// thread (as Seastar runs blocking syscalls on its syscall thread): a staged
// object carries a whole segment, and a write that waits for writeback or a
// final fsync of a 128 MiB file would otherwise stall every partition of the shard.

#include "fs_backend_impl.hpp"
#include "fs_keys.hpp"

#include <kb/storage/staged_object.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

#include <fcntl.h>

namespace kb::storage::fs_detail {

namespace {

// Runs `work` on the side thread pool; the caller resumes on its own executor.
template <class Work>
awaitable<void> off_shard(Work work) {
    static boost::asio::thread_pool pool(2);
    auto task = [work = std::move(work)]() -> awaitable<void> {
        work();
        co_return;
    };
    co_await boost::asio::co_spawn(pool, std::move(task), boost::asio::use_awaitable);
}

class fs_staged_object final : public staged_object {
  public:
    fs_staged_object(fs::path root, std::string prefix)
        : root_(std::move(root)), prefix_(std::move(prefix)) {}

    ~fs_staged_object() override { discard(); }

    awaitable<void> write(shared_buffer body) override {
        auto work = [this, body = std::move(body)] {
            open_if_needed();
            write_all(fd_.get(), body.bytes(), tmp_);
            written_ += body.size();
            start_writeback();
        };
        co_await off_shard(std::move(work));
    }

    awaitable<void> commit(std::string key) override {
        check_key(key);
        if (key.compare(0, prefix_.size(), prefix_) != 0 ||
            key.find('/', prefix_.size()) != std::string::npos)
            throw std::invalid_argument("staged object for '" + prefix_ + "' committed as '" + key +
                                        "' in another directory");
        auto work = [this, target = root_ / key] {
            open_if_needed();  // an empty object is still an object
            sync_fd(fd_.get(), tmp_);
            fd_ = {};
            publish(tmp_, target);
            tmp_.clear();
        };
        co_await off_shard(std::move(work));
    }

    std::uint64_t size() const noexcept override { return written_; }

  private:
    // Starts writing back what is dirty every few MiB without waiting for it, so
    // the final fsync finds little left to do.
    void start_writeback() {
#ifdef __linux__
        if (written_ - flushed_ < writeback_step) return;
        ::sync_file_range(fd_.get(), static_cast<off_t>(flushed_),
                          static_cast<off_t>(written_ - flushed_), SYNC_FILE_RANGE_WRITE);
        flushed_ = written_;
#endif
    }

    void open_if_needed() {
        if (!tmp_.empty()) return;
        auto dir = root_ / prefix_;
        ensure_dir(dir);
        tmp_ = dir / (std::string(hidden_prefix) + "tmp-" + random_hex(8));
        fd_ = create_exclusive(tmp_);
    }

    void discard() noexcept {
        fd_ = {};
        std::error_code ignored;  // best effort: a leftover hidden temp file is never listed
        if (!tmp_.empty()) fs::remove(std::exchange(tmp_, {}), ignored);
    }

    fs::path root_;
    std::string prefix_;
    fs::path tmp_;
    unique_fd fd_;
    std::uint64_t written_ = 0;
    std::uint64_t flushed_ = 0;  // handed to writeback up to here
    static constexpr std::uint64_t writeback_step = 8 * 1024 * 1024;
};

}  // namespace

std::unique_ptr<staged_object> fs_backend::stage_object(std::string prefix) {
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    return std::make_unique<fs_staged_object>(root_, std::move(prefix));
}

awaitable<std::size_t> fs_backend::discard_staged(std::string prefix) {
    const auto dir = root_ / prefix;
    const std::string temp_prefix = std::string(hidden_prefix) + "tmp-";
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) co_return 0;
    std::size_t removed = 0;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!it->is_regular_file() || name.rfind(temp_prefix, 0) != 0) continue;
        if (fs::remove(it->path(), ec)) ++removed;
        ec.clear();
    }
    if (ec) throw_errno(ec.value(), "list staged objects", dir);
    co_return removed;
}

}  // namespace kb::storage::fs_detail
