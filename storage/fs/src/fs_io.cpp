#include "fs_io.hpp"

#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace kb::storage::fs_detail {

namespace {

error_class class_of(int err) {
    switch (err) {
        case ENOENT:
        case ENOTDIR:
            return error_class::not_found;
        case EACCES:
        case EPERM:
            return error_class::auth;
        case EINTR:
        case EAGAIN:
        case EBUSY:
        case ETIMEDOUT:
            return error_class::retryable;
        default:
            return error_class::fatal;
    }
}

reason reason_of_errno(int err) {
    switch (err) {
        case ENOENT:
        case ENOTDIR:
            return reason::object_missing;
        case ENOSPC:
        case EDQUOT:
            return reason::disk_full;
        default:
            return reason::unspecified;
    }
}

std::string code_of(int err) {
    const char* name = strerrorname_np(err);
    return name ? name : fmt::format("errno {}", err);
}

}  // namespace

void throw_errno(int err, const std::string& op, const fs::path& path) {
    throw kb::error(
        class_of(err), code_of(err),
        fmt::format("{} {}: {} ({})", op, path.string(), std::strerror(err), code_of(err)),
        reason_of_errno(err));
}

unique_fd& unique_fd::operator=(unique_fd&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

unique_fd::~unique_fd() {
    if (fd_ >= 0) ::close(fd_);
}

unique_fd open_read(const fs::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno(errno, "open", p);
    return unique_fd(fd);
}

unique_fd create_exclusive(const fs::path& p) {
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw_errno(errno, "create", p);
    return unique_fd(fd);
}

void write_all(int fd, std::span<const std::byte> bytes, const fs::path& p) {
    while (!bytes.empty()) {
        auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(errno, "write", p);
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
}

void read_exact(int fd, std::uint64_t offset, std::span<std::byte> bytes, const fs::path& p) {
    while (!bytes.empty()) {
        auto n = ::pread(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(errno, "read", p);
        if (n == 0)
            throw kb::error(
                error_class::fatal, "ShortRead",
                fmt::format("read {}: file ended early (changed while reading?)", p.string()));
        bytes = bytes.subspan(static_cast<std::size_t>(n));
        offset += static_cast<std::uint64_t>(n);
    }
}

void sync_fd(int fd, const fs::path& p) {
    if (::fsync(fd) != 0) throw_errno(errno, "fsync", p);
}

void sync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno(errno, "open directory", dir);
    unique_fd guard(fd);
    sync_fd(fd, dir);
}

struct stat stat_fd(int fd, const fs::path& p) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_errno(errno, "stat", p);
    return st;
}

void ensure_dir(const fs::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) throw_errno(ENOTDIR, "mkdir", dir);
        return;
    }
    if (errno != ENOENT) throw_errno(errno, "stat", dir);
    if (dir.has_parent_path() && dir.parent_path() != dir) ensure_dir(dir.parent_path());
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno(errno, "mkdir", dir);
    sync_dir(dir.parent_path());
}

void publish(const fs::path& tmp, const fs::path& target) {
    if (::rename(tmp.c_str(), target.c_str()) != 0) throw_errno(errno, "rename to", target);
    sync_dir(target.parent_path());
}

bool publish_if_absent(const fs::path& tmp, const fs::path& target) {
    if (::link(tmp.c_str(), target.c_str()) != 0) {
        if (errno == EEXIST) return false;
        throw_errno(errno, "link to", target);
    }
    sync_dir(target.parent_path());
    return true;
}

void remove_file(const fs::path& p) {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) throw_errno(errno, "remove", p);
}

std::string random_hex(std::size_t bytes) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) out += fmt::format("{:02x}", rng() & 0xFF);
    return out;
}

}  // namespace kb::storage::fs_detail
