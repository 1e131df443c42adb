// Resumable sessions take multipart_writer's concurrent parts in order, and
// carry a < 256 KiB remainder from one part into the next chunk.
#include "resumable.hpp"

#include <kb/runtime/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace kb::storage::gcs::detail;
using kb::runtime::shared_buffer;
namespace asio = boost::asio;

namespace {

// A part: waits for its turn, yields once (as a real upload would), records itself.
asio::awaitable<void> part(std::shared_ptr<resumable_session> s, int n, std::vector<int>* order,
                           std::vector<std::string>* failures) {
    try {
        co_await wait_turn(s, n);
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
        order->push_back(n);
        if (n == 2 && !failures->empty()) {
            fail(*s);
            co_return;
        }
        pass_turn(*s);
    } catch (const kb::error& e) {
        failures->push_back(e.code());
    }
}

shared_buffer filled(std::size_t n, char c) {
    return shared_buffer::copy_of(std::string(n, c));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gcs_resumable)

BOOST_AUTO_TEST_CASE(parts_run_in_order_whatever_order_they_start) {
    asio::io_context io;
    resumable_sessions sessions;
    auto s = sessions.open("k", "/upload?id=1");
    std::vector<int> order;
    std::vector<std::string> failures;
    for (int n : {4, 2, 3, 1}) asio::co_spawn(io, part(s, n, &order, &failures), asio::detached);
    io.run();
    BOOST_TEST(order == (std::vector<int>{1, 2, 3, 4}));
    BOOST_TEST(failures.empty());
    BOOST_TEST(s->next_part == 5);
    BOOST_TEST(s->waiters.empty());
}

BOOST_AUTO_TEST_CASE(a_failed_part_fails_the_parts_behind_it) {
    asio::io_context io;
    resumable_sessions sessions;
    auto s = sessions.open("k", "/upload?id=2");
    std::vector<int> order;
    std::vector<std::string> failures{"(part 2 fails)"};
    for (int n : {3, 4, 1, 2}) asio::co_spawn(io, part(s, n, &order, &failures), asio::detached);
    io.run();  // returns: nobody waits forever
    BOOST_TEST(order == (std::vector<int>{1, 2}));
    BOOST_TEST(failures.size() == 3u);
    BOOST_TEST(failures[1] == "UploadAborted");
    BOOST_TEST(failures[2] == "UploadAborted");
}

BOOST_AUTO_TEST_CASE(unknown_sessions_are_not_found) {
    resumable_sessions sessions;
    sessions.open("k", "/a");
    sessions.close("/a");
    BOOST_CHECK_EXCEPTION(sessions.find("/a"), kb::error,
                          [](const kb::error& e) { return e.cls() == kb::error_class::not_found; });
}

BOOST_AUTO_TEST_CASE(remainders_carry_into_the_next_chunk) {
    constexpr std::size_t k256 = 256 * 1024;
    // A 5,000,000-byte part: 19 x 256 KiB go now, 18,944 bytes wait.
    auto first = split_chunk(shared_buffer{}, filled(5'000'000, 'a'));
    BOOST_TEST(first.send.size() == 19 * k256);
    BOOST_TEST(first.keep.size() == 5'000'000 - 19 * k256);
    // The next part is sent behind that remainder, byte for byte.
    auto second = split_chunk(first.keep, filled(k256, 'b'));
    BOOST_TEST(second.send.size() == k256);
    BOOST_TEST(second.keep.size() == first.keep.size());
    auto sent = second.send.as_string_view();
    BOOST_TEST(sent.substr(0, first.keep.size()) == std::string(first.keep.size(), 'a'));
    BOOST_TEST(sent.substr(first.keep.size()) == std::string(k256 - first.keep.size(), 'b'));
    BOOST_TEST(second.keep.as_string_view() == std::string(first.keep.size(), 'b'));
    // A small last part is held whole for the final chunk.
    auto tiny = split_chunk(shared_buffer{}, filled(10, 'c'));
    BOOST_TEST(tiny.send.size() == 0u);
    BOOST_TEST(tiny.keep.size() == 10u);
}

BOOST_AUTO_TEST_SUITE_END()
