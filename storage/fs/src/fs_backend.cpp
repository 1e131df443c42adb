#include "fs_backend_impl.hpp"

#include "fs_keys.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::storage {

namespace fs_detail {

namespace {

object_info info_of(std::string key, const struct stat& st) {
    object_info o;
    o.key = std::move(key);
    o.size = static_cast<std::uint64_t>(st.st_size);
    auto ns =
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
    o.last_modified = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(ns));
    o.etag = fmt::format("{:x}-{:x}", ns.count(), o.size);
    return o;
}

// Clips a requested range to the object like S3 does; a start past the end is an error.
byte_range clip(const std::optional<byte_range>& r, std::uint64_t size, const fs::path& p) {
    if (!r) return {0, size};
    if (r->offset > size || (r->offset == size && size > 0 && r->length > 0))
        throw kb::error(error_class::fatal, "InvalidRange",
                        fmt::format("get {}: range starts at {} but the object has {} bytes",
                                    p.string(), r->offset, size));
    return {r->offset, std::min(r->length, size - r->offset)};
}

}  // namespace

temp_guard::~temp_guard() {
    if (path_.empty()) return;
    try {
        remove_file(path_);
    } catch (...) {  // best effort: a leftover hidden temp file is never listed
    }
}

awaitable<void> fs_backend::yield() {
    co_await boost::asio::post(ex_, boost::asio::use_awaitable);
}

awaitable<fs::path> fs_backend::write_temp(fs::path target, shared_buffer body) {
    ensure_dir(target.parent_path());
    auto tmp = target.parent_path() / (std::string(hidden_prefix) + "tmp-" + random_hex(8));
    temp_guard guard(tmp);
    auto fd = create_exclusive(tmp);
    auto bytes = body.bytes();
    for (std::size_t done = 0; done < bytes.size(); done += io_chunk) {
        write_all(fd.get(), bytes.subspan(done, std::min(io_chunk, bytes.size() - done)), tmp);
        if (done + io_chunk < bytes.size()) co_await yield();
    }
    sync_fd(fd.get(), tmp);
    guard.release();
    co_return tmp;
}

awaitable<void> fs_backend::put(std::string key, shared_buffer body) {
    check_key(key);
    auto target = path_of(key);
    auto tmp = co_await write_temp(target, std::move(body));
    temp_guard guard(tmp);
    publish(tmp, target);
    guard.release();
}

// The whole object is written to a temp file first and then linked under its name:
// link() fails with EEXIST when the name is taken, so the create is atomic and a
// reader never sees a partial object.
awaitable<create_result> fs_backend::put_if_absent(std::string key, shared_buffer body) {
    check_key(key);
    auto target = path_of(key);
    auto tmp = co_await write_temp(target, std::move(body));
    temp_guard guard(tmp);  // removes the temp name whatever happens
    co_return create_result{.created = publish_if_absent(tmp, target), .atomic = true};
}

awaitable<shared_buffer> fs_backend::get(std::string key, std::optional<byte_range> range) {
    check_key(key);
    auto p = path_of(key);
    auto fd = open_read(p);
    auto r = clip(range, static_cast<std::uint64_t>(stat_fd(fd.get(), p).st_size), p);
    std::vector<std::byte> out(r.length);
    for (std::size_t done = 0; done < out.size(); done += io_chunk) {
        auto n = std::min(io_chunk, out.size() - done);
        read_exact(fd.get(), r.offset + done, std::span(out).subspan(done, n), p);
        if (done + io_chunk < out.size()) co_await yield();
    }
    co_return shared_buffer::adopt(std::move(out));
}

awaitable<std::optional<object_info>> fs_backend::head(std::string key) {
    check_key(key);
    struct stat st {};
    auto p = path_of(key);
    if (::stat(p.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) co_return std::nullopt;
        throw_errno(errno, "stat", p);
    }
    if (!S_ISREG(st.st_mode)) co_return std::nullopt;
    co_return info_of(std::move(key), st);
}

awaitable<list_page> fs_backend::list(std::string prefix, std::optional<std::string> token,
                                      int max_keys) {
    check_prefix(prefix);
    if (max_keys < 1) max_keys = 1000;
    auto keys = collect_keys(root_, prefix);
    std::sort(keys.begin(), keys.end());
    auto it = token ? std::upper_bound(keys.begin(), keys.end(), *token) : keys.begin();
    list_page page;
    for (; it != keys.end() && static_cast<int>(page.objects.size()) < max_keys; ++it) {
        struct stat st {};
        if (::stat(path_of(*it).c_str(), &st) != 0) continue;  // removed while listing
        page.objects.push_back(info_of(*it, st));
    }
    if (it != keys.end() && !page.objects.empty()) page.next_token = page.objects.back().key;
    co_return page;
}

awaitable<void> fs_backend::remove(std::string key) {
    check_key(key);
    remove_file(path_of(key));
    co_return;
}

awaitable<void> fs_backend::remove_many(std::vector<std::string> keys) {
    for (auto& k : keys) check_key(k);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        remove_file(path_of(keys[i]));
        if (i % 256 == 255) co_await yield();
    }
}

}  // namespace fs_detail

std::unique_ptr<backend> make_fs_backend(boost::asio::any_io_executor ex,
                                         std::filesystem::path root) {
    if (root.empty()) throw std::invalid_argument("filesystem backend needs a root directory");
    auto r = std::filesystem::absolute(root).lexically_normal();
    if (!r.has_filename() && r != r.root_path()) r = r.parent_path();  // drop a trailing '/'
    return std::make_unique<fs_detail::fs_backend>(std::move(ex), std::move(r));
}

}  // namespace kb::storage
