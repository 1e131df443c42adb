#define BOOST_TEST_MODULE azure_unit_tests
#include <boost/test/unit_test.hpp>
