#include <kb/storage/backend.hpp>
#include <kb/storage/staged_object.hpp>

namespace kb::storage {

// Backends that cannot rename (S3) stage nothing: segments go up as multipart uploads.
std::unique_ptr<staged_object> backend::stage_object(std::string /*prefix*/) {
    return nullptr;
}

awaitable<create_result> backend::put_if_absent(std::string key, shared_buffer body) {
    // Named, not tested inside the co_await expression (GCC 12 miscompiles that: SIGILL).
    auto existing = co_await head(key);
    if (existing) co_return create_result{.created = false, .atomic = false};
    co_await put(std::move(key), std::move(body));
    co_return create_result{.created = true, .atomic = false};
}

awaitable<std::size_t> backend::discard_staged(std::string /*prefix*/) {
    co_return 0;
}

}  // namespace kb::storage
