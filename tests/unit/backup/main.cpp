#define BOOST_TEST_MODULE backup_unit_tests
#include <boost/test/unit_test.hpp>
