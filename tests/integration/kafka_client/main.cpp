#define BOOST_TEST_MODULE kafka_client_integration_tests
#include <boost/test/unit_test.hpp>
