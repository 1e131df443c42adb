#include <kb/config/env.hpp>
#include <kb/config/error.hpp>
#include <kb/runtime/echo.hpp>

#include <cstdlib>

namespace kb::config {

const env_lookup& process_env() {
    static const env_lookup lookup = [](const std::string& name) -> std::optional<std::string> {
        if (const char* v = std::getenv(name.c_str())) return std::string(v);
        return std::nullopt;
    };
    return lookup;
}

namespace {

// Resolves the inside of one `${...}`: "NAME" or "NAME:-default".
std::string resolve(std::string_view inner, const env_lookup& env, const std::string& key,
                    const std::string& where) {
    auto sep = inner.find(":-");
    std::string name(inner.substr(0, sep));
    if (name.empty())
        throw config_error(config_errc::environment, key,
                           where + ": empty variable name " +
                               runtime::echo("${" + std::string(inner) + "}") + " in key '" + key +
                               "'");
    if (auto value = env(name)) return *value;
    if (sep != std::string_view::npos) return std::string(inner.substr(sep + 2));
    throw config_error(config_errc::environment, key,
                       where + ": environment variable " + runtime::echo(name) +
                           " is not set (used by key '" + key + "')",
                       name.size() <= runtime::echo_limit
                           ? "export " + name + ", or write ${" + name + ":-default}"
                           : "export it, or give a default: ${NAME:-default}");
}

}  // namespace

std::string expand_env(std::string_view text, const env_lookup& env, const std::string& key,
                       const std::string& where) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "$${") == 0) {  // escaped: a literal "${"
            out += "${";
            i += 2;
            continue;
        }
        if (text.compare(i, 2, "${") != 0) {
            out += text[i];
            continue;
        }
        auto close = text.find('}', i + 2);
        if (close == std::string_view::npos)
            throw config_error(config_errc::environment, key,
                               where + ": unterminated '${' in key '" + key + "'",
                               "close it with '}', or write '$${' for a literal '${'");
        out += resolve(text.substr(i + 2, close - i - 2), env, key, where);
        i = close;
    }
    return out;
}

}  // namespace kb::config
