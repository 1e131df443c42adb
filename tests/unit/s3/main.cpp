#define BOOST_TEST_MODULE s3_unit_tests
#include <boost/test/unit_test.hpp>
