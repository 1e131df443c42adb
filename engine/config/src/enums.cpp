#include "enums.hpp"

namespace kb::config {
namespace {
template <class E, std::size_t N>
const char* name_of(const std::array<detail::enum_entry<E>, N>& table, E v) {
    for (const auto& e : table)
        if (e.value == v) return e.name;
    return "?";
}
}  // namespace

const char* to_string(mode m) noexcept {
    return name_of(detail::mode_names, m);
}
const char* to_string(security_protocol p) noexcept {
    return name_of(detail::protocol_names, p);
}
const char* to_string(sasl_mechanism m) noexcept {
    return name_of(detail::mechanism_names, m);
}
const char* to_string(storage_backend b) noexcept {
    return name_of(detail::backend_names, b);
}
const char* to_string(compression c) noexcept {
    return name_of(detail::compression_names, c);
}
const char* to_string(offset_strategy s) noexcept {
    return name_of(detail::strategy_names, s);
}
const char* to_string(repartition_strategy s) noexcept {
    return name_of(detail::repartition_names, s);
}

bool compression_level_valid(compression c, int level) noexcept {
    switch (c) {
        case compression::zstd:
            return level >= 1 && level <= 22;
        case compression::gzip:
            return level >= 1 && level <= 9;
        case compression::lz4:
            return level >= 0 && level <= 12;
        case compression::none:
        case compression::snappy:
            return true;
    }
    return false;
}

}  // namespace kb::config
