#include <kb/storage/backend.hpp>
#include <kb/storage/staged_object.hpp>

namespace kb::storage {

// Backends that cannot rename (S3) stage nothing: segments go up as multipart uploads.
std::unique_ptr<staged_object> backend::stage_object(std::string /*prefix*/) {
    return nullptr;
}

awaitable<std::size_t> backend::discard_staged(std::string /*prefix*/) {
    co_return 0;
}

}  // namespace kb::storage
