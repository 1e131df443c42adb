#define BOOST_TEST_MODULE kb_osoformat
#include <boost/test/unit_test.hpp>
