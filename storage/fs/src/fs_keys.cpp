#include "fs_keys.hpp"

#include "fs_io.hpp"

#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <string_view>
#include <system_error>

namespace kb::storage::fs_detail {

namespace {

[[noreturn]] void invalid(const std::string& what, const std::string& key, const char* why) {
    throw kb::error(error_class::fatal, "InvalidKey", fmt::format("{} '{}': {}", what, key, why));
}

// Checks each '/'-separated component; `partial_last` allows an empty last one.
void check_components(const std::string& what, const std::string& key, bool partial_last) {
    if (key.find('\0') != std::string::npos) invalid(what, key, "contains a NUL byte");
    if (key.starts_with("/")) invalid(what, key, "must not start with '/'");
    std::size_t start = 0;
    while (true) {
        auto slash = key.find('/', start);
        bool last = slash == std::string::npos;
        std::string_view c(key.data() + start, (last ? key.size() : slash) - start);
        if (c.empty() && !(last && partial_last)) invalid(what, key, "has an empty path component");
        if (c == "." || c == "..") invalid(what, key, "has a '.' or '..' component");
        if (c.starts_with(hidden_prefix)) invalid(what, key, "uses the reserved prefix '.kb-'");
        if (last) return;
        start = slash + 1;
    }
}

}  // namespace

void check_key(const std::string& key) {
    if (key.empty()) invalid("key", key, "is empty");
    check_components("key", key, false);
}

void check_prefix(const std::string& prefix) {
    if (!prefix.empty()) check_components("prefix", prefix, true);
}

std::vector<std::string> collect_keys(const fs::path& root, const std::string& prefix) {
    auto slash = prefix.rfind('/');
    fs::path dir = slash == std::string::npos ? root : root / prefix.substr(0, slash);
    std::vector<std::string> keys;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return keys;
    fs::recursive_directory_iterator it(dir, ec), end;
    if (ec) throw_errno(ec.value(), "list", dir);
    for (; it != end; it.increment(ec)) {
        if (ec) throw_errno(ec.value(), "list", dir);
        if (it->path().filename().string().starts_with(hidden_prefix)) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        auto key = it->path().lexically_relative(root).generic_string();
        if (key.starts_with(prefix)) keys.push_back(std::move(key));
    }
    if (ec) throw_errno(ec.value(), "list", dir);
    return keys;
}

}  // namespace kb::storage::fs_detail
