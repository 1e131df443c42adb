#define BOOST_TEST_MODULE kb_restore_unit_tests
#include <boost/test/unit_test.hpp>
