#pragma once
// Environment expansion for config values: `${VAR}`, `${VAR:-default}` and
// `$${` for a literal `${`. Lookups go through an injectable function so tests
// (and callers with their own environment) need not touch the process's.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kb::config {

using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the process environment (getenv).
const env_lookup& process_env();

// Expands `text`. A variable that is unset (and has no default) or a `${` left
// open throws config_error whose key is `key` and whose message starts with
// `where` (e.g. "backup.yaml:7").
std::string expand_env(std::string_view text, const env_lookup& env, const std::string& key,
                       const std::string& where);

}  // namespace kb::config
