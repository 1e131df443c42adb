#pragma once
// Decoding the JSON API's object resources and listings. Pure; names are the
// full object names (the backend strips its root prefix).

#include <kb/storage/backend.hpp>

#include <string_view>

namespace kb::storage::gcs {

// An object resource: name, size (a decimal string), etag, updated (RFC 3339).
// Throws kb::error(fatal, "InvalidResponse") when it is not one.
object_info parse_object(std::string_view json);

// objects.list: items[] and nextPageToken.
list_page parse_list(std::string_view json);

}  // namespace kb::storage::gcs
