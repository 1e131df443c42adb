#define BOOST_TEST_MODULE restore_pipeline_tests
#include <kb/runtime/log.hpp>

#include <boost/test/unit_test.hpp>

// Retries against the fakes' scripted faults log a line per attempt at info.
struct quiet_logs {
    quiet_logs() { kb::log::set_level(kb::log::level::warn); }
};
BOOST_TEST_GLOBAL_FIXTURE(quiet_logs);
