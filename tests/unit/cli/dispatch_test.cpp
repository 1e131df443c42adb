// The command table and the dispatcher's exit codes.
#include "helpers.hpp"

#include <cli.hpp>
#include <command.hpp>
#include <exit_codes.hpp>

#include <boost/test/unit_test.hpp>

#include <iostream>
#include <set>
#include <sstream>

using namespace kb::cli;

namespace {

// Captures what the front prints, so checks can look at it and the log stays clean.
struct captured {
    std::ostringstream out, err;
    std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
    std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
    ~captured() {
        std::cout.rdbuf(old_out);
        std::cerr.rdbuf(old_err);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(dispatch)

BOOST_AUTO_TEST_CASE(every_required_command_exists_once) {
    std::set<std::string> names;
    for (const auto& c : command_table()) {
        BOOST_TEST(names.insert(c.name).second, c.name);
        for (const auto& a : c.aliases) BOOST_TEST(names.insert(a).second, a);
    }
    for (const char* n : {"backup", "restore", "three-phase-restore", "validate-restore", "list",
                          "describe", "validate", "prune", "show-offset-mapping", "offset-report",
                          "offset-reset", "offset-snapshot", "offset-rollback"})
        BOOST_TEST(find_command(n) != nullptr, n);
    BOOST_TEST(find_command("offset-report") == find_command("show-offset-mapping"));
    BOOST_TEST(find_command("nope") == nullptr);
}

BOOST_AUTO_TEST_CASE(every_command_has_help) {
    for (const auto& c : command_table()) {
        std::ostringstream out;
        print_command_help(out, c);
        BOOST_TEST(out.str().find("Usage: kafka-backup " + c.name) != std::string::npos, c.name);
        BOOST_TEST(out.str().find("--help") != std::string::npos, c.name);
        BOOST_TEST(out.str().find("130") != std::string::npos, c.name);  // exit codes listed
    }
}

BOOST_AUTO_TEST_CASE(exit_codes_of_the_front) {
    captured io;
    BOOST_TEST(run({"--version"}) == exit_code::ok);
    BOOST_TEST(io.out.str() == version_line() + "\n");
    BOOST_TEST(run({"--help"}) == exit_code::ok);
    BOOST_TEST(run({"backup", "--help"}) == exit_code::ok);
    BOOST_TEST(run({}) == exit_code::usage);
    BOOST_TEST(run({"bakup"}) == exit_code::usage);
    BOOST_TEST(run({"--bogus"}) == exit_code::usage);
    BOOST_TEST(run({"backup", "--bogus"}) == exit_code::usage);
    BOOST_TEST(run({"restore", "--path", "/b", "--backup-id", "x"}) ==
               exit_code::usage);  // no cluster
    const std::string err = io.err.str();
    BOOST_TEST(err.find("kafka-backup: error: unknown command 'bakup' (did you mean 'backup'?") !=
               std::string::npos);
    BOOST_TEST(err.find("kafka-backup: error: unrecognised option '--bogus'") != std::string::npos);
    BOOST_TEST(err.find("kafka-backup: error: missing --bootstrap-servers") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(version_names_the_commit) {
    BOOST_TEST(version_line().rfind("kafka-backup ", 0) == 0);
    BOOST_TEST(version_line().find("(commit ") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
