#define BOOST_TEST_MODULE kb_storage_fs
#include <boost/test/unit_test.hpp>
