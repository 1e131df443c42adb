#pragma once
// Spellings accepted for each enum in the YAML. Matching ignores case and
// treats '-' and '_' alike; the first spelling of a value is the canonical one
// shown in messages. Extra spellings keep OSO configs working (its serde
// spelling of SCRAM is "SCRAM-SHA512").

#include "reader.hpp"

#include <kb/config/config.hpp>

#include <array>

namespace kb::config::detail {

inline constexpr std::array<enum_entry<mode>, 2> mode_names{
    {{"backup", mode::backup}, {"restore", mode::restore}}};

inline constexpr std::array<enum_entry<security_protocol>, 4> protocol_names{
    {{"PLAINTEXT", security_protocol::plaintext},
     {"SSL", security_protocol::ssl},
     {"SASL_PLAINTEXT", security_protocol::sasl_plaintext},
     {"SASL_SSL", security_protocol::sasl_ssl}}};

inline constexpr std::array<enum_entry<sasl_mechanism>, 6> mechanism_names{
    {{"PLAIN", sasl_mechanism::plain},
     {"SCRAM-SHA-256", sasl_mechanism::scram_sha_256},
     {"SCRAM-SHA-512", sasl_mechanism::scram_sha_512},
     {"GSSAPI", sasl_mechanism::gssapi},
     {"SCRAM-SHA256", sasl_mechanism::scram_sha_256},
     {"SCRAM-SHA512", sasl_mechanism::scram_sha_512}}};

inline constexpr std::array<enum_entry<storage_backend>, 6> backend_names{
    {{"s3", storage_backend::s3},
     {"filesystem", storage_backend::filesystem},
     {"azure", storage_backend::azure},
     {"gcs", storage_backend::gcs},
     {"memory", storage_backend::memory},
     {"s3a", storage_backend::s3}}};

inline constexpr std::array<enum_entry<compression>, 5> compression_names{
    {{"zstd", compression::zstd},
     {"lz4", compression::lz4},
     {"gzip", compression::gzip},
     {"snappy", compression::snappy},
     {"none", compression::none}}};

inline constexpr std::array<enum_entry<offset_strategy>, 5> strategy_names{
    {{"skip", offset_strategy::skip},
     {"header-based", offset_strategy::header_based},
     {"timestamp-based", offset_strategy::timestamp_based},
     {"cluster-scan", offset_strategy::cluster_scan},
     {"manual", offset_strategy::manual}}};

inline constexpr std::array<enum_entry<repartition_strategy>, 2> repartition_names{
    {{"murmur2", repartition_strategy::murmur2}, {"automatic", repartition_strategy::automatic}}};

// Plain string keys with a closed set of values.
inline constexpr std::array<enum_entry<int>, 6> log_level_names{
    {{"trace", 0}, {"debug", 1}, {"info", 2}, {"warn", 3}, {"error", 4}, {"off", 5}}};
inline constexpr std::array<enum_entry<int>, 2> log_format_names{{{"text", 0}, {"json", 1}}};
inline constexpr std::array<enum_entry<int>, 2> offset_store_names{{{"sqlite", 0}, {"memory", 1}}};

// Reads a closed-set string key, storing its canonical spelling.
template <std::size_t N>
void get_choice(reader& r, std::string_view key, std::string& out,
                const std::array<enum_entry<int>, N>& table) {
    int v = -1;
    r.get_enum(key, v, table);
    if (v >= 0) out = table[static_cast<std::size_t>(v)].name;
}

}  // namespace kb::config::detail
