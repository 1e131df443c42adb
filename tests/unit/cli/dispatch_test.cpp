// The command table and the dispatcher's exit codes.
#include "helpers.hpp"

#include <cli.hpp>
#include <command.hpp>
#include <exit_codes.hpp>

#include <kb/runtime/error.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
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

// Cancellation in any form is "interrupted" (130), never a failure line.
BOOST_AUTO_TEST_CASE(cancellation_reaching_the_front_is_an_interruption) {
    captured io;
    auto aborted =
        std::make_exception_ptr(boost::system::system_error(boost::asio::error::operation_aborted));
    BOOST_TEST(report_failure(aborted, "backup") == exit_code::interrupted);
    BOOST_TEST(io.err.str() == "kafka-backup: interrupted\n");
}

// The advice follows the failure's reason (set where it was classified), whatever its
// code text, and survives an exhausted retry.
BOOST_AUTO_TEST_CASE(advice_follows_the_reason_not_the_code_text) {
    captured io;
    auto unreachable = std::make_exception_ptr(
        kb::retries_exhausted("Transport", "S3 PUT gave up", kb::reason::store_unreachable));
    BOOST_TEST(report_failure(unreachable, "backup") == exit_code::failed);
    BOOST_TEST(io.err.str().find("object store named above is up") != std::string::npos,
               io.err.str());
    io.err.str("");
    // A GCS or Azure outage is not sent to S3's settings.
    auto gcs_down = std::make_exception_ptr(
        kb::error(kb::error_class::retryable, "Transport",
                  "GCS objects.get gs://b/k at http://h:1: refused (is the store up? endpoint from "
                  "storage.endpoint or STORAGE_EMULATOR_HOST)",
                  kb::reason::store_unreachable));
    report_failure(gcs_down, "backup");
    BOOST_TEST(io.err.str().find("AWS_ENDPOINT_URL") == std::string::npos, io.err.str());
    BOOST_TEST(io.err.str().find("S3") == std::string::npos, io.err.str());
    io.err.str("");
    auto broker = std::make_exception_ptr(kb::error(kb::error_class::retryable, "NETWORK_ERR",
                                                    "no answer", kb::reason::broker_unreachable));
    report_failure(broker, "backup");
    BOOST_TEST(io.err.str().find("check --bootstrap-servers") != std::string::npos, io.err.str());
    io.err.str("");
    // A code that merely reads like a SASL failure earns no SASL advice.
    auto lookalike = std::make_exception_ptr(
        kb::error(kb::error_class::auth, "SASL_AUTHENTICATION_FAILED_LOOKALIKE", "denied"));
    report_failure(lookalike, "backup");
    BOOST_TEST(io.err.str().find("SASL username") == std::string::npos, io.err.str());
}

BOOST_AUTO_TEST_CASE(version_names_the_commit) {
    BOOST_TEST(version_line().rfind("kafka-backup ", 0) == 0);
    BOOST_TEST(version_line().find("(commit ") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
