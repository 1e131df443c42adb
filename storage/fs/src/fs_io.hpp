#pragma once
// POSIX file helpers for the filesystem backend. All calls are synchronous and
// throw kb::error classified from errno (see fs_errors.hpp).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <sys/stat.h>

namespace kb::storage::fs_detail {

namespace fs = std::filesystem;

// Owns a file descriptor; closes it when destroyed.
class unique_fd {
  public:
    unique_fd() = default;
    explicit unique_fd(int fd) : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& o) noexcept;
    ~unique_fd();
    int get() const noexcept { return fd_; }

  private:
    int fd_ = -1;
};

[[noreturn]] void throw_errno(int err, const std::string& op, const fs::path& path);

unique_fd open_read(const fs::path& p);
// A new file that nobody else can be writing (O_EXCL).
unique_fd create_exclusive(const fs::path& p);
void write_all(int fd, std::span<const std::byte> bytes, const fs::path& p);
// Reads exactly bytes.size() bytes at `offset`; fails on a short file.
void read_exact(int fd, std::uint64_t offset, std::span<std::byte> bytes, const fs::path& p);
void sync_fd(int fd, const fs::path& p);
void sync_dir(const fs::path& dir);
struct stat stat_fd(int fd, const fs::path& p);

// mkdir -p that fsyncs each parent it adds an entry to, so new directories are durable.
void ensure_dir(const fs::path& dir);
// rename + fsync of the target's directory: the step that makes an object visible.
void publish(const fs::path& tmp, const fs::path& target);
// link + fsync of the directory: false (nothing changed) when `target` already exists.
// `tmp` stays; the caller removes it.
bool publish_if_absent(const fs::path& tmp, const fs::path& target);
void remove_file(const fs::path& p);  // missing is fine
std::string random_hex(std::size_t bytes);

// Names starting with this are ours (temp files, staging) and never listed.
inline constexpr const char* hidden_prefix = ".kb-";

}  // namespace kb::storage::fs_detail
