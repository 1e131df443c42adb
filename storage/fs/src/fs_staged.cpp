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

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <fcntl.h>

namespace kb::storage::fs_detail {

namespace {

// Runs `work` on the side thread pool; the caller resumes on its own executor.
template <class Work>
awaitable<void> off_shard(Work work) {
    // Most of the time here is spent waiting in fsync, not computing: with many
    // small segments (1,200 partitions of 9 KiB) two threads made the backup wait
    // ~4 ms a segment; ext4 commits concurrent fsyncs together, so eight threads
    // sync several segments for the price of one.
    static boost::asio::thread_pool pool(8);
    auto task = [work = std::move(work)]() -> awaitable<void> {
        work();
        co_return;
    };
    // Not cancellable: a cancelled caller still waits for the (short) disk call, and
    // Boost 1.81's co_spawn would terminate the process if a cancellation reached
    // the spawned coroutine before it first ran (operation_canceled outside its try).
    auto no_cancel = boost::asio::bind_cancellation_slot(boost::asio::cancellation_slot(),
                                                         boost::asio::use_awaitable);
    co_await boost::asio::co_spawn(pool, std::move(task), std::move(no_cancel));
}

// Sequential writes that bypass the page cache (O_DIRECT): for a backup the
// kernel's copy into the page cache was about half of all CPU time, and the
// bytes are not read again. O_DIRECT wants aligned memory and whole blocks, so
// the bytes are gathered in an aligned buffer and written a buffer at a time;
// the last partial block goes out with O_DIRECT switched off. Where the
// filesystem refuses O_DIRECT (tmpfs), writes are buffered, with early writeback.
class block_writer {
  public:
    void open(const fs::path& p) {
        path_ = p;
        int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_DIRECT, 0644);
        if (fd < 0 && errno == EINVAL) {
            fd_ = create_exclusive(p);
            return;
        }
        if (fd < 0) throw_errno(errno, "create", p);
        fd_ = unique_fd(fd);
        buffer_.reset(static_cast<std::byte*>(std::aligned_alloc(block, buffer_size)));
        if (!buffer_) throw std::bad_alloc();
    }

    void append(std::span<const std::byte> bytes) {
        written_ += bytes.size();
        if (!buffer_) {
            write_all(fd_.get(), bytes, path_);
            start_writeback();
            return;
        }
        while (!bytes.empty()) {
            auto n = std::min(bytes.size(), buffer_size - used_);
            std::memcpy(buffer_.get() + used_, bytes.data(), n);
            used_ += n;
            bytes = bytes.subspan(n);
            if (used_ == buffer_size) flush_whole_blocks();
        }
    }

    // Writes what is left and makes it durable.
    void finish() {
        if (buffer_) {
            flush_whole_blocks();
            if (used_ > 0) {
                int flags = ::fcntl(fd_.get(), F_GETFL);
                if (flags < 0 || ::fcntl(fd_.get(), F_SETFL, flags & ~O_DIRECT) != 0)
                    throw_errno(errno, "fcntl", path_);
                write_all(fd_.get(), std::span(buffer_.get(), used_), path_);
                used_ = 0;
            }
        }
        sync_fd(fd_.get(), path_);
        fd_ = {};
    }

    void close() noexcept { fd_ = {}; }

  private:
    struct free_deleter {
        void operator()(std::byte* p) const noexcept { std::free(p); }
    };
    static constexpr std::size_t block = 4096;
    static constexpr std::size_t buffer_size =
        2 * 1024 * 1024;  // counted in the staged reservation

    void flush_whole_blocks() {
        const auto whole = used_ / block * block;
        if (whole == 0) return;
        write_all(fd_.get(), std::span(buffer_.get(), whole), path_);
        std::memmove(buffer_.get(), buffer_.get() + whole, used_ - whole);
        used_ -= whole;
    }

    // Buffered mode: starts writing back what is dirty every few MiB without
    // waiting for it, so the final fsync finds little left to do.
    void start_writeback() {
#ifdef __linux__
        if (written_ - flushed_ < writeback_step) return;
        ::sync_file_range(fd_.get(), static_cast<off_t>(flushed_),
                          static_cast<off_t>(written_ - flushed_), SYNC_FILE_RANGE_WRITE);
        flushed_ = written_;
#endif
    }

    static constexpr std::uint64_t writeback_step = 8 * 1024 * 1024;
    fs::path path_;
    unique_fd fd_;
    std::unique_ptr<std::byte, free_deleter> buffer_;  // null: buffered mode
    std::size_t used_ = 0;
    std::uint64_t written_ = 0, flushed_ = 0;
};

// The file and its writer, shared with the side-thread tasks: a caller cancelled
// while its write runs there (another partition failed) may destroy the staged
// object before the task ends, so a task keeps this alive and a discarded file
// is never written again.
struct staged_file {
    std::mutex mutex;  // one task at a time; discard waits for a running one
    fs::path root, dir, tmp;
    block_writer out;
    bool discarded = false;

    void open_if_needed() {
        if (!tmp.empty()) return;
        ensure_dir(dir);
        tmp = dir / (std::string(hidden_prefix) + "tmp-" + random_hex(8));
        out.open(tmp);
    }

    void discard() noexcept {
        std::lock_guard lock(mutex);
        discarded = true;
        out.close();
        std::error_code ignored;  // best effort: a leftover hidden temp file is never listed
        if (!tmp.empty()) fs::remove(std::exchange(tmp, {}), ignored);
    }
};

// Runs `work` on the file on the side thread, unless the file was discarded.
template <class Work>
awaitable<void> on_file(std::shared_ptr<staged_file> file, Work work) {
    auto task = [file = std::move(file), work = std::move(work)] {
        std::lock_guard lock(file->mutex);
        if (file->discarded) return;
        work(*file);
    };
    co_await off_shard(std::move(task));
}

class fs_staged_object final : public staged_object {
  public:
    fs_staged_object(fs::path root, std::string prefix)
        : prefix_(std::move(prefix)), file_(std::make_shared<staged_file>()) {
        file_->root = std::move(root);
        file_->dir = file_->root / prefix_;
    }

    ~fs_staged_object() override { file_->discard(); }

    awaitable<void> write(shared_buffer body) override {
        auto work = [body = std::move(body)](staged_file& f) {
            f.open_if_needed();
            f.out.append(body.bytes());
        };
        co_await on_file(file_, std::move(work));
    }

    awaitable<void> commit(std::string key) override {
        check_key(key);
        if (key.compare(0, prefix_.size(), prefix_) != 0 ||
            key.find('/', prefix_.size()) != std::string::npos)
            throw std::invalid_argument("staged object for '" + prefix_ + "' committed as '" + key +
                                        "' in another directory");
        auto work = [target = file_->root / key](staged_file& f) {
            f.open_if_needed();  // an empty object is still an object
            f.out.finish();
            publish(f.tmp, target);
            f.tmp.clear();
        };
        co_await on_file(file_, std::move(work));
    }

  private:
    std::string prefix_;
    std::shared_ptr<staged_file> file_;
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
