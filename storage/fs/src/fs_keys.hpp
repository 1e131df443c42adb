#pragma once
// Key rules of the filesystem backend: a key maps to a path under the root and
// must not escape it or collide with our hidden files.

#include <filesystem>
#include <string>
#include <vector>

namespace kb::storage::fs_detail {

// Throws kb::error(fatal, "InvalidKey") naming the key.
void check_key(const std::string& key);
void check_prefix(const std::string& prefix);

// Every regular file whose key starts with `prefix`, unsorted, hidden names skipped.
std::vector<std::string> collect_keys(const std::filesystem::path& root, const std::string& prefix);

}  // namespace kb::storage::fs_detail
