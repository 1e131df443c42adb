// The OSO commands' flags become the right requests; bad combinations are usage errors.
#include <command.hpp>
#include <parse.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::cli;

BOOST_AUTO_TEST_CASE(status_stored_and_live_flags) {
    auto req = parse_status_args("status", {"--path", "/tmp/b", "--backup-id", "b1", "-f", "json"});
    BOOST_TEST(!req.live);
    BOOST_TEST(req.backup_id == "b1");
    BOOST_TEST((req.format == output_format::json));
    BOOST_CHECK_THROW(parse_status_args("status", {}), usage_error);
    BOOST_CHECK_THROW(
        parse_status_args("status", {"--path", "/tmp/b", "--backup-id", "b", "--watch"}),
        usage_error);
    BOOST_CHECK_THROW(parse_status_args("status", {"--path", "/tmp/b"}), usage_error);
}

BOOST_AUTO_TEST_CASE(bulk_defaults_are_osos) {
    auto req = parse_offset_reset_bulk_args(
        "offset-reset-bulk",
        {"--path", "/tmp/b", "--backup-id", "b1", "--bootstrap-servers", "h:9092", "-g", "a,b"});
    BOOST_TEST(req.max_concurrent == 50u);
    BOOST_TEST(req.max_retries == 3u);
    BOOST_TEST(req.groups.size() == 2u);
    BOOST_CHECK_THROW(
        parse_offset_reset_bulk_args(
            "offset-reset-bulk", {"--path", "/tmp/b", "--backup-id", "b1", "--bootstrap-servers",
                                  "h:9092", "--max-retries", "x"}),
        usage_error);
}

BOOST_AUTO_TEST_CASE(validation_actions_and_their_flags) {
    using action = validation_request::action;
    auto get = parse_validation_args(
        "validation", {"evidence-get", "--path", "/tmp/e", "-r", "validation-1", "-o", "out.json"});
    BOOST_TEST((get.what == action::evidence_get));
    BOOST_TEST(get.report_id == "validation-1");
    BOOST_TEST(get.extension == "json");
    BOOST_TEST(get.prefix == "evidence-reports/");
    auto verify =
        parse_validation_args("validation", {"evidence-verify", "-r", "r.json", "-s", "r.sig"});
    BOOST_TEST((verify.what == action::evidence_verify));
    BOOST_TEST(verify.report_file == "r.json");
    BOOST_TEST(!verify.public_key);
    auto list =
        parse_validation_args("validation", {"evidence-list", "--path", "/tmp/e", "-l", "3"});
    BOOST_TEST(list.limit == 3u);
    BOOST_CHECK_THROW(parse_validation_args("validation", {"bogus"}), usage_error);
    BOOST_CHECK_THROW(parse_validation_args("validation", {"run"}), usage_error);
    BOOST_CHECK_THROW(
        parse_validation_args("validation", {"evidence-get", "--path", "/tmp/e", "-r", "x"}),
        usage_error);
    BOOST_CHECK_THROW(parse_validation_args("validation", {"evidence-get", "--path", "/tmp/e", "-r",
                                                           "x", "-o", "f", "-f", "pdf"}),
                      usage_error);
}

BOOST_AUTO_TEST_CASE(the_commands_are_in_the_table) {
    for (const char* name : {"snapshot-groups", "status", "offset-reset-bulk", "validation"})
        BOOST_TEST(find_command(name) != nullptr, name);
}
