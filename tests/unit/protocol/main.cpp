#define BOOST_TEST_MODULE kb_kafka_protocol
#include <boost/test/unit_test.hpp>
