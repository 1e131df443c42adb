#define BOOST_TEST_MODULE gcs_unit_tests
#include <boost/test/unit_test.hpp>
