#pragma once
// Reading a config: YAML text -> kb::config::config, strictly.
//
// - `${VAR}` and `${VAR:-default}` in values are expanded from the environment
//   (comments are not touched); a missing variable without a default is an error
//   naming it and the key that used it.
// - An unknown key is an error naming the key, its path, its line and the
//   closest valid key.
// - A value of the wrong type names the key and what was expected.
// - Required keys are checked by validate(), after command-line flags have been
//   applied, so that flags can supply what the file leaves out.
// All errors are kb::config::config_error.

#include <kb/config/config.hpp>
#include <kb/config/env.hpp>

#include <string>
#include <string_view>

namespace kb::config {

// Parses YAML text. `origin` names the source in messages (usually the file path).
config parse_yaml(std::string_view text, std::string origin = "<config>",
                  const env_lookup& env = process_env());

// Reads and parses a file; a missing or unreadable file is a config_error.
config load_file(const std::string& path, const env_lookup& env = process_env());

// Checks that `cfg` is complete and coherent for running in mode `m`: required
// keys present (backup_id, storage, source for backup, target for restore...),
// values in range, no contradictions. Throws the first problem found.
void validate(const config& cfg, mode m);

// Checks only the storage section (for list/describe/validate/prune, which need
// no Kafka cluster).
void validate_storage(const storage_config& s, const std::string& origin);

// Checks a backup id: 1..128 characters of [A-Za-z0-9._-], not "." or "..".
void validate_backup_id(const std::string& id, const std::string& origin);

// Checks a cluster section used as `section` ("source", "target", or a flag set).
void validate_cluster(const kafka_cluster& c, const std::string& section,
                      const std::string& origin);

}  // namespace kb::config
