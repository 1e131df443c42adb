#pragma once
// The subcommand table: each cmd_*.cpp describes one command (its names, its
// help text and option table) and how to turn its flags into a request.

#include <boost/program_options/options_description.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kb::cli {

namespace po = boost::program_options;
using args = std::vector<std::string>;

struct command_spec {
    std::string name;
    std::vector<std::string> aliases;
    std::string summary;   // one line, for `kafka-backup --help`
    std::string usage;     // e.g. "kafka-backup backup [--config FILE] [options]"
    std::string details;   // paragraphs shown after the usage; may be empty
    std::string examples;  // shown last; may be empty
    po::options_description (*options)();
    // Parses `a` (the arguments after the command name) and runs the command.
    // `typed` is the name as the user typed it (an alias, perhaps).
    int (*run)(const std::string& typed, const args& a);
};

const std::vector<command_spec>& command_table();
const command_spec* find_command(std::string_view name);

// Bad flags or a bad combination of them: exit code 2, one line.
class usage_error : public std::runtime_error {
  public:
    usage_error(const std::string& what, std::string hint = {})
        : std::runtime_error(what), hint_(std::move(hint)) {}
    const std::string& hint() const noexcept { return hint_; }

  private:
    std::string hint_;
};

command_spec backup_command();
command_spec restore_command();
command_spec three_phase_restore_command();
command_spec validate_restore_command();
command_spec list_command();
command_spec describe_command();
command_spec validate_command();
command_spec prune_command();
command_spec offset_mapping_command();
command_spec offset_reset_command();
command_spec offset_snapshot_command();
command_spec offset_rollback_command();
command_spec snapshot_groups_command();
command_spec status_command();
command_spec offset_reset_bulk_command();
command_spec validation_command();

}  // namespace kb::cli
