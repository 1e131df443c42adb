// kafka-backup: back up Kafka topics and restore them. See apps/README.md.
#include "cli.hpp"

int main(int argc, char** argv) {
    return kb::cli::run(kb::cli::args(argv + 1, argv + argc));
}
