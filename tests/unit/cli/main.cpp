#define BOOST_TEST_MODULE kb_cli
#include <boost/test/unit_test.hpp>
