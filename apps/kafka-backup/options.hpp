#pragma once
// Option groups shared by several subcommands, and the helpers that turn
// their values into config fields. Flags always override the config file.

#include "command.hpp"
#include "commands.hpp"

#include <kb/config/config.hpp>

#include <boost/program_options/positional_options.hpp>
#include <boost/program_options/variables_map.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::cli {

// The origin of a config built from flags alone (no --config).
inline constexpr const char* flags_origin = "command line";

// -h/--help, -v/--verbose, --log-level; with_config adds -c/--config.
po::options_description general_options(bool with_config);
// --bootstrap-servers and the security flags (--security-protocol, --sasl-*, --ssl-*).
po::options_description kafka_options();
// --path (and --backup-id when with_backup_id).
po::options_description storage_options(bool with_backup_id);
// --memory-budget, --shards, --metrics-address.
po::options_description engine_options();

// Parses `a` against `desc`; Boost's errors become usage_error.
po::variables_map parse_flags(const args& a, const po::options_description& desc,
                              const po::positional_options_description* pos = nullptr);

std::optional<std::string> text_flag(const po::variables_map& vm, const char* name);
bool switch_flag(const po::variables_map& vm, const char* name);
// A list flag: repeated and/or comma-separated ("--topics a,b --topics c").
std::vector<std::string> list_flag(const po::variables_map& vm, const char* name);
std::optional<std::uint64_t> size_flag(const po::variables_map& vm, const char* name);
std::optional<std::int64_t> duration_ms_flag(const po::variables_map& vm, const char* name);
std::optional<std::int64_t> time_flag(const po::variables_map& vm, const char* name);
std::optional<std::int64_t> int_flag(const po::variables_map& vm, const char* name,
                                     std::int64_t min, std::int64_t max);

// The config from --config, or an empty one (origin "command line") without it.
kb::config::config config_from(const po::variables_map& vm);
bool has_config_file(const po::variables_map& vm);

// Applies --bootstrap-servers and the security flags onto `c`, then fills the
// secrets given as files or as KAFKA_USERNAME/KAFKA_PASSWORD and checks that the
// TLS files it names exist. `section` ("source", "target") names it in messages.
void apply_kafka_flags(const po::variables_map& vm, kb::config::kafka_cluster& c,
                       const std::string& section);
// Applies --path and --backup-id onto the config (and checks storage.ssl_ca_location).
void apply_storage_flags(const po::variables_map& vm, kb::config::config& c);
// Applies --memory-budget, --shards and --metrics-address.
void apply_engine_flags(const po::variables_map& vm, kb::config::config& c);

// --path, else the config's storage section; validated.
kb::config::storage_config storage_from(const po::variables_map& vm);
// --backup-id, else the config's backup_id; required.
std::string backup_id_from(const po::variables_map& vm);
// --snapshot-id: required, and a valid id (1..128 of [A-Za-z0-9._-]).
std::string snapshot_id_from(const po::variables_map& vm);
// The cluster for the offset tools: the config's target (else source), then flags.
kb::config::kafka_cluster cluster_from(const po::variables_map& vm);

// --log-level/-v, else the config's logging.level, else info.
kb::log::level log_level_from(const po::variables_map& vm, const kb::config::config* cfg);
// The value of `name` (one of `allowed`), or `fallback` when absent.
output_format format_from(const po::variables_map& vm, const char* name,
                          const std::vector<output_format>& allowed, output_format fallback);

// Fills the fields every request has.
void fill_common(common_request& req, const std::string& typed, const po::variables_map& vm,
                 const kb::config::config* cfg);

}  // namespace kb::cli
