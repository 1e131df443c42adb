#pragma once
// The filesystem backend: backups in a local directory, with S3's semantics.
//
// An object is a file under the root; it appears whole or not at all (written to
// a hidden temporary name, fsynced, renamed, directory fsynced). Multipart parts
// are staged in a hidden directory per upload and concatenated on completion.
// Names starting with ".kb-" are reserved for that and never listed.
// Runs its (synchronous, chunked) file I/O on the coroutine's executor.

#include <kb/storage/backend.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <filesystem>
#include <memory>

namespace kb::storage {

// The root directory is created on the first write if it does not exist.
std::unique_ptr<backend> make_fs_backend(boost::asio::any_io_executor ex,
                                         std::filesystem::path root);

}  // namespace kb::storage
