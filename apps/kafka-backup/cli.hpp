#pragma once
// The kafka-backup front: `kafka-backup <command> [options]`.

#include "command.hpp"

#include <exception>
#include <iosfwd>
#include <string>

namespace kb::cli {

// Runs the program on argv[1..]; returns the process exit code.
int run(const args& all);

// "kafka-backup 0.1.0 (commit 1234abcd5678)"
std::string version_line();

void print_main_help(std::ostream& out);
void print_command_help(std::ostream& out, const command_spec& cmd);

// Prints the one-line error for a failure of `cmd` to stderr and returns its
// exit code (2 for usage and config errors, 130 for cancellation, else 1).
int report_failure(const std::exception_ptr& e, const std::string& cmd);

// The one-line error format: "kafka-backup: error: <what> (<what to do>)".
void print_error(const std::string& what, const std::string& todo);

}  // namespace kb::cli
