#pragma once
// Enum values written as text, for command-line flags: the same spellings the
// YAML accepts (case-insensitive, '-' and '_' alike). Each throws config_error
// (invalid_value) naming `key` (e.g. "--compression"), the valid values and
// the closest one.

#include <kb/config/config.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace kb::config {

security_protocol parse_security_protocol(std::string_view text, const std::string& key);
sasl_mechanism parse_sasl_mechanism(std::string_view text, const std::string& key);
compression parse_compression(std::string_view text, const std::string& key);
offset_strategy parse_offset_strategy(std::string_view text, const std::string& key);
repartition_strategy parse_repartition_strategy(std::string_view text, const std::string& key);

// One of `valid` (matched like the enums); throws config_error as above.
std::string parse_choice(std::string_view text, const std::string& key,
                         const std::vector<std::string>& valid);

}  // namespace kb::config
