#define BOOST_TEST_MODULE kb_format
#include <boost/test/unit_test.hpp>
