#include <kb/config/error.hpp>
#include <kb/config/names.hpp>
#include <kb/runtime/echo.hpp>

#include "enums.hpp"
#include "suggest.hpp"

namespace kb::config {
namespace {

[[noreturn]] void bad_value(std::string_view text, const std::string& key,
                            const std::vector<std::string>& valid) {
    auto guess = detail::closest(text, valid);
    throw config_error(
        config_errc::invalid_value, key,
        key + " expects one of " + detail::join(valid) + ", got " + runtime::echo(text),
        guess ? "did you mean '" + *guess + "'?" : std::string{});
}

template <class E, std::size_t N>
E lookup(std::string_view text, const std::string& key,
         const std::array<detail::enum_entry<E>, N>& table) {
    std::vector<std::string> valid;
    if (auto v = detail::match_enum(text, table, valid)) return *v;
    bad_value(text, key, valid);
}

}  // namespace

security_protocol parse_security_protocol(std::string_view text, const std::string& key) {
    return lookup(text, key, detail::protocol_names);
}
sasl_mechanism parse_sasl_mechanism(std::string_view text, const std::string& key) {
    return lookup(text, key, detail::mechanism_names);
}
compression parse_compression(std::string_view text, const std::string& key) {
    return lookup(text, key, detail::compression_names);
}
offset_strategy parse_offset_strategy(std::string_view text, const std::string& key) {
    return lookup(text, key, detail::strategy_names);
}
repartition_strategy parse_repartition_strategy(std::string_view text, const std::string& key) {
    return lookup(text, key, detail::repartition_names);
}

std::string parse_choice(std::string_view text, const std::string& key,
                         const std::vector<std::string>& valid) {
    for (const auto& v : valid)
        if (detail::normalise_enum(v) == detail::normalise_enum(text)) return v;
    bad_value(text, key, valid);
}

}  // namespace kb::config
