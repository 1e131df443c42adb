// Multipart uploads on the filesystem: each upload gets a hidden staging
// directory (.kb-multipart/<upload id>/) holding the key it belongs to and one
// file per part; complete concatenates the named parts into a temp file next to
// the target and renames it into place, so the object appears whole or not at all.

#include "fs_backend_impl.hpp"
#include "fs_keys.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/checksum.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <tuple>

#include <sys/stat.h>

namespace kb::storage::fs_detail {

namespace {

constexpr std::uint64_t min_part = 5 * 1024 * 1024;

fs::path part_path(const fs::path& staging, int n) {
    return staging / fmt::format("part-{:05}", n);
}

[[noreturn]] void no_such_upload(const std::string& key, const std::string& id) {
    throw kb::error(
        error_class::not_found, "NoSuchUpload",
        fmt::format("multipart upload {} of '{}' does not exist (completed or aborted?)", id, key),
        reason::upload_missing);
}

[[noreturn]] void invalid_part(const char* code, const std::string& key, const std::string& why) {
    throw kb::error(error_class::fatal, code,
                    fmt::format("complete multipart upload of '{}': {}", key, why));
}

void check_part_order(const std::string& key, const std::vector<completed_part>& parts) {
    if (parts.empty()) invalid_part("MalformedXML", key, "no parts given");
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (parts[i].part_number < 1 || parts[i].part_number > 10'000 ||
            (i > 0 && parts[i].part_number <= parts[i - 1].part_number))
            invalid_part("InvalidPartOrder", key, "part numbers must ascend within 1..10000");
    }
}

std::chrono::system_clock::time_point created_at(const fs::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return {};
    auto since_epoch =
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

}  // namespace

fs::path fs_backend::staging_of(const std::string& upload_id) const {
    bool ok = !upload_id.empty() && upload_id.size() <= 64 &&
              upload_id.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!ok) no_such_upload("?", upload_id);
    return root_ / (std::string(hidden_prefix) + "multipart") / upload_id;
}

void fs_backend::check_upload(const std::string& key, const std::string& upload_id) const {
    std::ifstream in(staging_of(upload_id) / "key", std::ios::binary);
    std::stringstream owner;
    owner << in.rdbuf();
    if (!in || owner.str() != key) no_such_upload(key, upload_id);
}

awaitable<std::string> fs_backend::create_multipart(std::string key) {
    check_key(key);
    auto id = random_hex(16);
    auto staging = staging_of(id);
    ensure_dir(staging);
    auto tmp = co_await write_temp(staging / "key", shared_buffer::copy_of(key));
    publish(tmp, staging / "key");
    co_return id;
}

awaitable<completed_part> fs_backend::upload_part(std::string key, std::string upload_id,
                                                  int part_number, shared_buffer body) {
    check_key(key);
    check_upload(key, upload_id);
    if (part_number < 1 || part_number > 10'000)
        throw kb::error(
            error_class::fatal, "InvalidArgument",
            fmt::format("part number {} of '{}' is outside 1..10000", part_number, key));
    auto target = part_path(staging_of(upload_id), part_number);
    auto etag = format_crc32c(crc32c(body.bytes()));
    auto tmp = co_await write_temp(target, std::move(body));
    temp_guard guard(tmp);
    publish(tmp, target);
    guard.release();
    co_return completed_part{part_number, etag};
}

awaitable<void> fs_backend::complete_multipart(std::string key, std::string upload_id,
                                               std::vector<completed_part> parts) {
    check_key(key);
    check_upload(key, upload_id);
    check_part_order(key, parts);
    auto staging = staging_of(upload_id);
    auto target = path_of(key);
    ensure_dir(target.parent_path());
    auto tmp = target.parent_path() / (std::string(hidden_prefix) + "tmp-" + random_hex(8));
    temp_guard guard(tmp);
    auto out = create_exclusive(tmp);
    std::vector<std::byte> chunk(io_chunk);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto src_path = part_path(staging, parts[i].part_number);
        unique_fd src;
        try {
            src = open_read(src_path);
        } catch (const kb::error& e) {
            if (e.why() != reason::object_missing) throw;
            invalid_part("InvalidPart", key,
                         fmt::format("part {} was not uploaded", parts[i].part_number));
        }
        auto size = static_cast<std::uint64_t>(stat_fd(src.get(), src_path).st_size);
        if (size < min_part && i + 1 < parts.size())
            invalid_part("EntityTooSmall", key,
                         fmt::format("part {} has {} bytes; all but the last need >= 5 MiB",
                                     parts[i].part_number, size));
        std::uint32_t crc = 0;
        for (std::uint64_t off = 0; off < size; off += io_chunk) {
            auto n = static_cast<std::size_t>(std::min<std::uint64_t>(io_chunk, size - off));
            auto piece = std::span(chunk).first(n);
            read_exact(src.get(), off, piece, src_path);
            crc = crc32c(piece, crc);
            write_all(out.get(), piece, tmp);
            co_await yield();
        }
        if (format_crc32c(crc) != parts[i].etag)
            invalid_part("InvalidPart", key,
                         fmt::format("part {} etag {} does not match the uploaded {}",
                                     parts[i].part_number, parts[i].etag, format_crc32c(crc)));
    }
    sync_fd(out.get(), tmp);
    publish(tmp, target);
    guard.release();
    std::error_code ec;
    fs::remove_all(staging, ec);  // the object is complete; a leftover is hidden anyway
}

awaitable<void> fs_backend::abort_multipart(std::string key, std::string upload_id) {
    check_key(key);
    check_upload(key, upload_id);
    std::error_code ec;
    fs::remove_all(staging_of(upload_id), ec);
    if (ec) throw_errno(ec.value(), "abort multipart upload: remove", staging_of(upload_id));
    co_return;
}

// The staging directories are the uploads in progress: their "key" file names the
// object, their modification time is when they were created (parts go inside).
awaitable<std::vector<multipart_upload>> fs_backend::list_multipart_uploads(std::string prefix) {
    check_prefix(prefix);
    std::vector<multipart_upload> out;
    std::error_code ec;
    fs::directory_iterator it(root_ / (std::string(hidden_prefix) + "multipart"), ec);
    if (ec == std::errc::no_such_file_or_directory) co_return out;
    if (ec) throw_errno(ec.value(), "list multipart uploads", root_);
    for (const auto& entry : it) {
        auto id = entry.path().filename().string();
        std::ifstream in(entry.path() / "key", std::ios::binary);
        std::stringstream key;
        key << in.rdbuf();
        // A directory without its key file is an upload whose creation was cut short.
        if (!in || !key.str().starts_with(prefix)) continue;
        out.push_back({key.str(), id, created_at(entry.path())});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.key, a.upload_id) < std::tie(b.key, b.upload_id);
    });
    co_return out;
}

}  // namespace kb::storage::fs_detail
