// The S3 backend against the in-process fake S3 endpoint (tests/support): each
// scripted fault the pipeline tests rely on (503, a dropped connection, a lost
// response, a slow answer) is met by the client's one retry layer, and the fake
// keeps what the backend wrote (single PUTs, multipart, listings page by page).
#include <kb/test/fake_s3.hpp>

#include <kb/storage/helpers.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <string>

namespace {

namespace asio = boost::asio;
using kb::runtime::shared_buffer;
using kb::test::s3_fault;
using namespace std::chrono_literals;

template <class T>
T run(asio::io_context& io, asio::awaitable<T> work) {
    auto f = asio::co_spawn(io, std::move(work), asio::use_future);
    io.restart();
    io.run();
    return f.get();
}

std::string text_of(const shared_buffer& b) {
    return {reinterpret_cast<const char*>(b.bytes().data()), b.size()};
}

struct fixture {
    kb::test::fake_s3 s3;
    asio::io_context io;
    std::unique_ptr<kb::storage::backend> b;

    explicit fixture(std::chrono::milliseconds request_timeout = 10s) {
        auto cfg = s3.config();
        cfg.request_timeout = request_timeout;
        b = kb::storage::s3::make_s3_backend(io.get_executor(), cfg);
    }
    void put(const std::string& key, const std::string& bytes) {
        run(io, b->put(key, shared_buffer::copy_of(bytes)));
    }
    std::string get(const std::string& key) { return text_of(run(io, b->get(key))); }
    int count(const std::string& request) {
        auto all = s3.requests();
        return static_cast<int>(std::count(all.begin(), all.end(), request));
    }
};

struct short_timeout : fixture {
    short_timeout() : fixture(200ms) {}
};

asio::awaitable<void> write_in_parts(kb::storage::backend& b, std::string key, std::string bytes) {
    kb::storage::multipart_options o;
    o.part_size = 5 * 1024 * 1024;
    kb::storage::multipart_writer w(b, key, o);
    co_await w.write(shared_buffer::copy_of(bytes));
    co_await w.finish();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fake_s3_endpoint)

BOOST_FIXTURE_TEST_CASE(a_503_is_retried_until_the_put_lands, fixture) {
    s3.add_rule({.method = "PUT", .key_contains = "k", .fault = s3_fault::unavailable, .times = 2});
    put("k", "bytes");
    BOOST_TEST(count("PUT k") == 3);
    BOOST_TEST(*s3.object("k") == "bytes");
}

BOOST_FIXTURE_TEST_CASE(a_dropped_connection_is_retried, fixture) {
    put("k", "bytes");
    s3.add_rule({.method = "GET", .key_contains = "k", .fault = s3_fault::drop});
    BOOST_TEST(get("k") == "bytes");
    BOOST_TEST(count("GET k") == 2);
}

BOOST_FIXTURE_TEST_CASE(a_put_whose_answer_is_lost_is_retried_and_stored_once, fixture) {
    s3.add_rule({.method = "PUT", .key_contains = "k", .fault = s3_fault::lose_response});
    put("k", "bytes");
    BOOST_TEST(count("PUT k") == 2);
    BOOST_TEST(s3.objects().size() == 1u);
    BOOST_TEST(*s3.object("k") == "bytes");
}

BOOST_FIXTURE_TEST_CASE(an_answer_slower_than_the_request_timeout_is_retried, short_timeout) {
    put("k", "bytes");
    s3.add_rule({.method = "GET", .key_contains = "k", .fault = s3_fault::slow, .delay = 1000ms});
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(get("k") == "bytes");
    BOOST_TEST((std::chrono::steady_clock::now() - start < 1000ms));  // not the slow answer
    BOOST_TEST(count("GET k") == 2);
}

BOOST_FIXTURE_TEST_CASE(a_multipart_object_is_its_parts_in_order, fixture) {
    std::string bytes(11 * 1024 * 1024, 'x');
    for (std::size_t i = 0; i < bytes.size(); i += 4096) bytes[i] = static_cast<char>('a' + i % 26);
    run(io, write_in_parts(*b, "big", bytes));
    BOOST_TEST(count("POST big") == 2);  // create, complete
    BOOST_TEST(count("PUT big") == 3);   // 5 + 5 + 1 MiB
    BOOST_TEST((*s3.object("big") == bytes));
    BOOST_TEST(run(io, b->list_multipart_uploads("")).empty());
}

BOOST_FIXTURE_TEST_CASE(listings_page_through_every_key_once, fixture) {
    for (int i = 0; i < 7; ++i) put("p/" + std::to_string(i), "x");
    put("q/other", "x");
    auto first = run(io, b->list("p/", std::nullopt, 3));
    BOOST_TEST(first.objects.size() == 3u);
    BOOST_REQUIRE(first.next_token);
    BOOST_TEST(run(io, kb::storage::list_all(*b, "p/")).size() == 7u);
    run(io, b->remove_many({"p/0", "p/1"}));
    BOOST_TEST(run(io, kb::storage::list_all(*b, "p/")).size() == 5u);
}

// The lease's create-only put is one conditional PUT (If-None-Match: *): atomic, and
// refused (not overwritten) when the key exists.
BOOST_FIXTURE_TEST_CASE(a_create_only_put_is_one_conditional_put, fixture) {
    auto first = run(io, b->put_if_absent("lock.json", shared_buffer::copy_of("first")));
    BOOST_TEST(first.created);
    BOOST_TEST(first.atomic);
    auto second = run(io, b->put_if_absent("lock.json", shared_buffer::copy_of("second")));
    BOOST_TEST(!second.created);
    BOOST_TEST(second.atomic);
    BOOST_TEST(get("lock.json") == "first");
    BOOST_TEST(count("HEAD lock.json") == 0);
}

// A store without conditional PUTs (501) gets the HEAD then PUT, reported not atomic,
// and is not asked again.
BOOST_FIXTURE_TEST_CASE(a_store_without_conditional_puts_gets_head_then_put, fixture) {
    s3.add_rule({.method = "PUT", .key_contains = "lock", .fault = s3_fault::not_implemented});
    auto first = run(io, b->put_if_absent("lock.json", shared_buffer::copy_of("first")));
    BOOST_TEST(first.created);
    BOOST_TEST(!first.atomic);
    BOOST_TEST(get("lock.json") == "first");
    auto again = run(io, b->put_if_absent("lock2.json", shared_buffer::copy_of("x")));
    BOOST_TEST(!again.atomic);
    BOOST_TEST(count("HEAD lock2.json") == 1);
    BOOST_TEST(count("PUT lock2.json") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
