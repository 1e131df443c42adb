// Only this file sees the version and commit, so a new commit recompiles one file.
#include "cli.hpp"

#ifndef KB_VERSION
#define KB_VERSION "unknown"
#endif
#ifndef KB_GIT_COMMIT
#define KB_GIT_COMMIT "unknown"
#endif

namespace kb::cli {

std::string version_line() {
    return std::string("kafka-backup ") + KB_VERSION + " (commit " + KB_GIT_COMMIT + ")";
}

}  // namespace kb::cli
