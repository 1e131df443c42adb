// Commands whose engines are not in this build yet. Each says so in one line and
// exits 2 without doing anything. When an engine lands, move its run_* out of
// this file into its own run_<command>.cpp that calls the engine.
#include "commands.hpp"
#include "exit_codes.hpp"

#include <iostream>

namespace kb::cli {
namespace {

int not_available(const std::string& command) {
    std::cerr << "kafka-backup: '" << command << "' is not available in this build yet"
              << std::endl;
    return exit_code::usage;
}

}  // namespace

int run_backup(const backup_request& req) {
    return not_available(req.command);
}
int run_restore(const restore_request& req) {
    return not_available(req.command);
}
int run_list(const list_request& req) {
    return not_available(req.command);
}
int run_describe(const describe_request& req) {
    return not_available(req.command);
}
int run_validate(const validate_request& req) {
    return not_available(req.command);
}
int run_prune(const prune_request& req) {
    return not_available(req.command);
}
int run_offset_mapping(const offset_mapping_request& req) {
    return not_available(req.command);
}
int run_offset_reset(const offset_reset_request& req) {
    return not_available(req.command);
}
int run_offset_snapshot(const offset_snapshot_request& req) {
    return not_available(req.command);
}
int run_offset_rollback(const offset_rollback_request& req) {
    return not_available(req.command);
}

}  // namespace kb::cli
