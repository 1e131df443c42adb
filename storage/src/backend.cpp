#include <kb/storage/backend.hpp>
#include <kb/storage/staged_object.hpp>

namespace kb::storage {

std::unique_ptr<staged_object> backend::stage_object(std::string /*prefix*/) {
    return nullptr;
}

}  // namespace kb::storage
