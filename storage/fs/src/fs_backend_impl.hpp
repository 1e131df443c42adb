#pragma once
// fs_backend: the filesystem implementation of kb::storage::backend.
//
// File I/O is synchronous inside the coroutines on purpose: POSIX has no portable
// asynchronous file API that Asio wraps everywhere (io_uring support is optional
// and kernel-dependent), local disk calls return quickly, and every data copy is
// cut into 1 MiB chunks with a yield to the executor between chunks, so one large
// object does not stall the other coroutines of the shard for long.

#include "fs_io.hpp"

#include <kb/storage/backend.hpp>

#include <boost/asio/any_io_executor.hpp>

namespace kb::storage::fs_detail {

inline constexpr std::size_t io_chunk = 1024 * 1024;

class fs_backend final : public backend {
  public:
    fs_backend(boost::asio::any_io_executor ex, fs::path root)
        : ex_(std::move(ex)), root_(std::move(root)) {}

    std::string describe() const override { return root_.string(); }

    awaitable<void> put(std::string key, shared_buffer body) override;
    awaitable<create_result> put_if_absent(std::string key, shared_buffer body) override;
    awaitable<shared_buffer> get(std::string key, std::optional<byte_range> range) override;
    awaitable<std::optional<object_info>> head(std::string key) override;
    awaitable<list_page> list(std::string prefix, std::optional<std::string> token,
                              int max_keys) override;
    awaitable<void> remove(std::string key) override;
    awaitable<void> remove_many(std::vector<std::string> keys) override;

    awaitable<std::string> create_multipart(std::string key) override;
    awaitable<completed_part> upload_part(std::string key, std::string upload_id, int part_number,
                                          shared_buffer body) override;
    awaitable<void> complete_multipart(std::string key, std::string upload_id,
                                       std::vector<completed_part> parts) override;
    awaitable<void> abort_multipart(std::string key, std::string upload_id) override;
    awaitable<std::vector<multipart_upload>> list_multipart_uploads(std::string prefix) override;
    std::unique_ptr<staged_object> stage_object(std::string prefix) override;
    awaitable<std::size_t> discard_staged(std::string prefix) override;

  private:
    fs::path path_of(const std::string& key) const { return root_ / key; }
    fs::path staging_of(const std::string& upload_id) const;
    void check_upload(const std::string& key, const std::string& upload_id) const;
    // Writes `body` to a fresh hidden temp file next to `target`; returns its path.
    awaitable<fs::path> write_temp(fs::path target, shared_buffer body);
    awaitable<void> yield();

    boost::asio::any_io_executor ex_;
    fs::path root_;
};

// Removes a temp file on scope exit unless release()d (after a successful rename).
class temp_guard {
  public:
    explicit temp_guard(fs::path p) : path_(std::move(p)) {}
    ~temp_guard();
    void release() { path_.clear(); }

  private:
    fs::path path_;
};

}  // namespace kb::storage::fs_detail
