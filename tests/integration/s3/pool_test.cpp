// The connection pool, observed from the outside through a counting proxy:
// sequential requests reuse one keep-alive connection; concurrent ones never
// open more than max_connections sockets.
#include "s3_env.hpp"
#include "tcp_proxy.hpp"

#include <kb/storage/s3/request.hpp>

#include <fmt/format.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/test/unit_test.hpp>

using namespace kb::s3test;
using boost::asio::awaitable;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

kb::storage::s3::s3_config through(const tcp_proxy& p, int max_connections) {
    auto c = minio_config();
    c.endpoint = p.url();
    c.max_connections = max_connections;
    return c;
}

awaitable<void> put_some(kb::storage::backend& b, int first, int count) {
    for (int i = first; i < first + count; ++i)
        co_await b.put(fmt::format("pool/k{}", i),
                       as_buffer(random_bytes(256 * 1024, static_cast<std::uint64_t>(i))));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_pool)

BOOST_AUTO_TEST_CASE(sequential_requests_reuse_one_connection) {
    auto ep = kb::storage::s3::parse_endpoint(env().endpoint);
    tcp_proxy proxy(ep.host, ep.port);
    harness h(through(proxy, 8));
    for (int i = 0; i < 20; ++i) {
        h.run(h.b().put("pool/seq", as_buffer(random_bytes(1000, static_cast<std::uint64_t>(i)))));
        BOOST_TEST(h.run(h.b().get("pool/seq", std::nullopt)).size() == 1000u);
    }
    BOOST_TEST(proxy.accepted() == 1);
    h.run(h.b().remove("pool/seq"));
}

BOOST_AUTO_TEST_CASE(concurrency_is_capped_at_max_connections) {
    auto ep = kb::storage::s3::parse_endpoint(env().endpoint);
    tcp_proxy proxy(ep.host, ep.port);
    harness h(through(proxy, 3));
    h.run([](kb::storage::backend& b) -> awaitable<void> {
        co_await (put_some(b, 0, 6) && put_some(b, 6, 6) && put_some(b, 12, 6) &&
                  put_some(b, 18, 6) && put_some(b, 24, 6) && put_some(b, 30, 6));
    }(h.b()));
    BOOST_TEST(proxy.max_concurrent() <= 3);
    BOOST_TEST(proxy.accepted() == 3);  // all three used, then kept alive
    std::vector<std::string> keys;
    for (int i = 0; i < 36; ++i) keys.push_back(fmt::format("pool/k{}", i));
    BOOST_TEST(h.run(h.b().list("pool/", std::nullopt, 1000)).objects.size() == 36u);
    h.run(h.b().remove_many(keys));
}

BOOST_AUTO_TEST_SUITE_END()
