#define BOOST_TEST_MODULE kafka_client_unit_tests
#include <boost/test/unit_test.hpp>
