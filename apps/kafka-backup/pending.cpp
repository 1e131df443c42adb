// Commands whose engines are not in this build yet. Each says so in one line and
// exits 2 without doing anything. When an engine lands, move its run_* out of
// this file into its own run_<command>.cpp that calls the engine.
#include "commands.hpp"
#include "exit_codes.hpp"

#include <iostream>

namespace kb::cli {
namespace {

[[maybe_unused]] int not_available(const std::string& command) {
    std::cerr << "kafka-backup: '" << command << "' is not available in this build yet"
              << std::endl;
    return exit_code::usage;
}

}  // namespace

}  // namespace kb::cli
