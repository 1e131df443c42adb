#pragma once
// Flag parsing of each subcommand, apart from running it (unit-tested in
// tests/unit/cli). Each takes the name as typed and the arguments after it,
// and throws usage_error or kb::config::config_error on bad input.

#include "command.hpp"
#include "commands.hpp"

namespace kb::cli {

backup_request parse_backup_args(const std::string& typed, const args& a);
// typed decides the variant: "three-phase-restore" also resets consumer
// offsets, "validate-restore" only plans (dry run).
restore_request parse_restore_args(const std::string& typed, const args& a);
list_request parse_list_args(const std::string& typed, const args& a);
describe_request parse_describe_args(const std::string& typed, const args& a);
validate_request parse_validate_args(const std::string& typed, const args& a);
prune_request parse_prune_args(const std::string& typed, const args& a);
offset_mapping_request parse_offset_mapping_args(const std::string& typed, const args& a);
offset_reset_request parse_offset_reset_args(const std::string& typed, const args& a);
offset_snapshot_request parse_offset_snapshot_args(const std::string& typed, const args& a);
offset_rollback_request parse_offset_rollback_args(const std::string& typed, const args& a);
snapshot_groups_request parse_snapshot_groups_args(const std::string& typed, const args& a);
status_request parse_status_args(const std::string& typed, const args& a);
offset_reset_bulk_request parse_offset_reset_bulk_args(const std::string& typed, const args& a);
validation_request parse_validation_args(const std::string& typed, const args& a);

}  // namespace kb::cli
