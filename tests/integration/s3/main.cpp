#define BOOST_TEST_MODULE s3_integration_tests
#include <boost/test/unit_test.hpp>
