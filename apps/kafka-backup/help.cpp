// --help texts: the command list, each command's options, and the exit codes.
#include "cli.hpp"

#include <ostream>
#include <sstream>

namespace kb::cli {
namespace {

const char* exit_codes_text =
    "Exit codes:\n"
    "  0    success\n"
    "  1    the operation failed (unreachable broker, authentication, storage error, ...)\n"
    "  2    usage or config error\n"
    "  3    partial success or validation failure (validate found problems, some groups\n"
    "       failed to reset, verification differed)\n"
    "  130  interrupted by SIGINT/SIGTERM; backups and restores stay resumable\n";

}  // namespace

void print_main_help(std::ostream& out) {
    out << version_line() << "\n"
        << "Backs up Apache Kafka topics to S3-compatible storage or a local disk, and restores "
           "them.\n\n"
        << "Usage: kafka-backup <command> [options]\n"
        << "       kafka-backup <command> --help\n"
        << "       kafka-backup --version\n\n"
        << "Commands:\n";
    auto row = [&](const std::string& name, const std::string& text) {
        out << "  " << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << text
            << "\n";
    };
    for (const auto& c : command_table()) row(c.name, c.summary);
    for (const auto& c : command_table())
        for (const auto& a : c.aliases) row(a, "the same as " + c.name);
    out << "\nOptions:\n"
        << "  -h, --help      show this help\n"
        << "  -V, --version   print the version and the git commit\n\n"
        << "Configuration: a YAML file in the OSO kafka-backup schema (--config FILE, see\n"
        << "docs/config.md); ${VAR} and ${VAR:-default} are taken from the environment, and\n"
        << "command-line flags override the file.\n\n"
        << "Errors are one line: 'kafka-backup: error: <what was wrong> (<what to do>)'.\n\n"
        << exit_codes_text;
}

void print_command_help(std::ostream& out, const command_spec& cmd) {
    out << "Usage: " << cmd.usage << "\n\n" << cmd.summary << "\n";
    if (!cmd.aliases.empty()) {
        out << "Also called:";
        for (const auto& a : cmd.aliases) out << " " << a;
        out << "\n";
    }
    if (!cmd.details.empty()) out << "\n" << cmd.details << "\n";
    std::ostringstream table;
    table << cmd.options();
    std::string options = table.str();
    options.erase(0, options.find_first_not_of('\n'));  // Boost leads with blank lines
    out << "\n" << options;
    if (!cmd.examples.empty()) out << "\nExamples:\n" << cmd.examples << "\n";
    out << "\n" << exit_codes_text;
}

}  // namespace kb::cli
