#define BOOST_TEST_MODULE s3_integration_tests
#include "s3_env.hpp"

#include <fmt/format.h>
#include <boost/test/unit_test.hpp>

#include <cstdlib>

namespace {

// Removes whatever the tests left under this run's prefix in the shared bucket.
struct remove_run_prefix {
    ~remove_run_prefix() {
        if (std::getenv("S3_ENDPOINT") == nullptr || std::getenv("KB_TEST_BUCKET") == nullptr)
            return;
        kb::s3test::aws_status(fmt::format("s3 rm --recursive --only-show-errors 's3://{}/{}/'",
                                           kb::s3test::env().bucket, kb::s3test::run_prefix()));
    }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(remove_run_prefix);
