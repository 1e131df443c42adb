#pragma once
// Shared helpers for the config tests: a fake environment and error capture.

#include <kb/config/error.hpp>
#include <kb/config/load.hpp>

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>

// Lets Boost.Test print the config enums when a check fails.
namespace kb::config {
template <class E>
requires std::is_enum_v<E> std::ostream& operator<<(std::ostream& os, E e) {
    return os << static_cast<int>(e);
}
}  // namespace kb::config

namespace kbt {

inline kb::config::env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

inline const kb::config::env_lookup& no_env() {
    static const kb::config::env_lookup empty = env_of({});
    return empty;
}

// Runs `f`, which must throw config_error, and returns the error.
inline kb::config::config_error error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const kb::config::config_error& e) {
        return e;
    }
    throw std::runtime_error("expected a config_error, none was thrown");
}

inline kb::config::config_error parse_error(const std::string& yaml) {
    return error_of([&] { kb::config::parse_yaml(yaml, "test.yaml", no_env()); });
}

inline std::string data_file(const std::string& name) {
    return std::string(KB_CONFIG_TEST_DATA) + "/" + name;
}

}  // namespace kbt
