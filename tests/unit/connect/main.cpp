#define BOOST_TEST_MODULE connect
#include <boost/test/unit_test.hpp>
