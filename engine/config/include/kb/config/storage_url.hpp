#pragma once
// The CLI's `--path` form of a storage section, and back:
//   s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true
//   file:///var/backups/kafka    /var/backups/kafka    ./backups
// Secrets are never part of a URL: credentials come from the config, the
// environment or the shared credentials file.

#include <kb/config/storage.hpp>

#include <string>
#include <string_view>

namespace kb::config {

// Throws config_error (key `key`) for an unknown scheme, a missing bucket or an
// unknown query parameter. An http:// endpoint implies allow_http.
storage_config parse_storage_url(std::string_view url, const std::string& key = "--path");

// A secret-free description: "s3://bucket/prefix?endpoint=...&region=...".
std::string to_url(const storage_config& s);

}  // namespace kb::config
