#pragma once
// The Azure Blob Storage backend: kb::storage::backend over Boost.Beast, for
// Azure storage accounts and the Azurite emulator.
//
// Lifecycle and threading: make_azure_backend() opens a backend bound to one
// executor (a shard's single-threaded io_context); every operation must be
// awaited on that executor, and the backend must outlive its operations. It
// owns a connection pool (storage/http); every request is authorized with
// Shared Key (or carries the SAS token), has a deadline and a response size
// limit, and is retried as a whole through runtime::retry when it fails
// transiently. Objects are block blobs: put() is one Put Blob; multipart
// uploads are Put Block + Put Block List (storage's multipart_writer keeps
// several blocks in flight).

#include <kb/storage/azure/settings.hpp>
#include <kb/storage/backend.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace kb::storage::azure {

// Resolves `cfg` against the process environment (resolve_settings), checks it
// and opens the backend. Throws kb::error (fatal or auth) naming the problem.
std::unique_ptr<backend> make_azure_backend(boost::asio::any_io_executor ex, azure_config cfg);

}  // namespace kb::storage::azure
