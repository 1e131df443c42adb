#pragma once
// Process exit codes, documented in --help and apps/README.md.

namespace kb::cli {

enum exit_code : int {
    ok = 0,
    failed = 1,         // the operation failed (unreachable broker, auth, storage error...)
    usage = 2,          // bad flags or config
    partial = 3,        // finished, but something is wrong: validation found problems,
                        // some groups failed to reset, a restore was partial
    interrupted = 130,  // stopped by SIGINT/SIGTERM; backups and restores stay resumable
};

}  // namespace kb::cli
