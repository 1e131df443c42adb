#pragma once
// Opens the backend a location names: the filesystem backend for a directory,
// the S3 backend for an s3:// location (when the build has it).

#include <kb/storage/backend.hpp>
#include <kb/storage/location.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace kb::storage {

// Throws kb::error (fatal "Unsupported" when S3 support was not built in, or the
// backend's own errors: bad endpoint, missing credentials).
std::unique_ptr<backend> open_backend(boost::asio::any_io_executor ex, const location& loc);

}  // namespace kb::storage
