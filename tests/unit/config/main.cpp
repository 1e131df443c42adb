#define BOOST_TEST_MODULE kb_config
#include <boost/test/unit_test.hpp>
