// multipart_writer, ranged_reader and list_all over the real filesystem backend.
#include "format_support.hpp"

#include <kb/runtime/byte_budget.hpp>
#include <kb/storage/fs/fs_backend.hpp>
#include <kb/storage/helpers.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace kb;
using namespace kb::storage;
using kb::test::run;

namespace {

constexpr std::size_t mib = 1024 * 1024;

std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131) ^ (i >> 9));
    return s;
}

// Feeds `data` to a writer in pieces of `piece` bytes, then finishes.
awaitable<void> stream(multipart_writer& w, std::string data, std::size_t piece) {
    for (std::size_t off = 0; off < data.size(); off += piece)
        co_await w.write(shared_buffer::copy_of(std::string_view(data).substr(off, piece)));
    co_await w.finish();
}

awaitable<void> sleep_ms(int ms) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor,
                                std::chrono::milliseconds(ms));
    co_await t.async_wait(boost::asio::use_awaitable);
}

struct fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<backend> fs = make_fs_backend(io.get_executor(), dir.path);
    kb::test::wrapping_backend wrapped{*fs};

    std::size_t staged_uploads() {
        auto staging = dir.path / ".kb-multipart";
        if (!std::filesystem::exists(staging)) return 0;
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(staging),
                                                      std::filesystem::directory_iterator()));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(storage_helpers, fixture)

BOOST_AUTO_TEST_CASE(multipart_writer_streams_a_large_object) {
    auto data = pattern(23 * mib + 12345);
    wrapped.delay = [] { return sleep_ms(1); };  // lets parts overlap
    multipart_writer w(wrapped, "big/obj", {.part_size = 5 * mib, .max_in_flight = 2});
    run(io, stream(w, data, mib + 7));
    BOOST_TEST(w.parts_uploaded() == 5);
    BOOST_TEST(w.bytes_written() == data.size());
    BOOST_TEST(wrapped.peak_in_flight <= 2);
    BOOST_TEST(wrapped.peak_in_flight == 2);
    BOOST_TEST((run(io, fs->get("big/obj")).as_string_view() == data));
    BOOST_TEST(staged_uploads() == 0u);
}

BOOST_AUTO_TEST_CASE(a_small_object_goes_through_put) {
    multipart_writer w(wrapped, "small", {.part_size = 5 * mib});
    run(io, stream(w, "tiny object", 4));
    BOOST_TEST(w.parts_uploaded() == 0);
    BOOST_TEST(wrapped.parts_started == 0);
    BOOST_TEST(run(io, fs->get("small")).as_string_view() == "tiny object");
    BOOST_TEST(!std::filesystem::exists(dir.path / ".kb-multipart"));
}

BOOST_AUTO_TEST_CASE(a_failing_part_aborts_the_upload) {
    wrapped.on_upload_part = [](int n) {
        if (n == 3)
            throw kb::error(error_class::fatal, "InternalError", "injected failure on part 3");
    };
    multipart_writer w(wrapped, "doomed", {.part_size = 5 * mib, .max_in_flight = 2});
    try {
        run(io, stream(w, pattern(30 * mib), mib));
        BOOST_FAIL("the upload should have failed");
    } catch (const kb::error& e) {
        BOOST_TEST(std::string(e.what()) == "injected failure on part 3");
    }
    BOOST_TEST(wrapped.aborts == 1);
    BOOST_TEST(staged_uploads() == 0u);  // no orphan upload
    BOOST_TEST(!run(io, fs->head("doomed")));
    BOOST_CHECK_THROW(run(io, w.write(shared_buffer::copy_of(std::string("x")))), std::logic_error);
}

// One retry layer: the backend retries its own calls under its budget, so what it
// throws is final. A writer that retried again multiplied the attempts (8x8 against
// a dead endpoint); it must try a part once, then abort.
BOOST_AUTO_TEST_CASE(the_writer_does_not_retry_what_the_backend_gave_up_on) {
    int calls = 0;
    wrapped.on_upload_part = [&](int n) {
        if (n == 2) {
            ++calls;
            throw kb::error(error_class::retryable, "SlowDown", "slow down");
        }
    };
    multipart_writer w(wrapped, "not-retried", {.part_size = 5 * mib, .max_in_flight = 3});
    BOOST_CHECK_THROW(run(io, stream(w, pattern(12 * mib), 3 * mib)), kb::error);
    BOOST_TEST(calls == 1);
    BOOST_TEST(wrapped.aborts == 1);
    BOOST_TEST(staged_uploads() == 0u);
}

BOOST_AUTO_TEST_CASE(the_reader_does_not_retry_what_the_backend_gave_up_on) {
    auto data = pattern(3 * mib);
    run(io, fs->put("flaky", shared_buffer::copy_of(data)));
    wrapped.delay = []() -> awaitable<void> {
        throw kb::error(error_class::retryable, "SlowDown", "slow down");
        co_return;
    };
    ranged_reader r(wrapped, "flaky", {0, data.size()}, nullptr,
                    {.range_size = 4 * mib, .read_ahead = 1});
    BOOST_CHECK_THROW(run(io, r.next()), kb::error);
    BOOST_TEST(wrapped.gets.size() == 1u);
}

BOOST_AUTO_TEST_CASE(cancellation_aborts_the_upload) {
    wrapped.delay = [] { return sleep_ms(200); };
    multipart_writer w(wrapped, "cancelled", {.part_size = 5 * mib, .max_in_flight = 2});
    boost::asio::cancellation_signal cancel;
    std::exception_ptr outcome;
    bool done = false;
    boost::asio::co_spawn(
        io, stream(w, pattern(40 * mib), mib),
        boost::asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e) {
            outcome = e;
            done = true;
        }));
    boost::asio::steady_timer t(io, std::chrono::milliseconds(50));
    t.async_wait([&](auto) { cancel.emit(boost::asio::cancellation_type::terminal); });
    io.run();
    BOOST_REQUIRE(done);
    BOOST_REQUIRE(outcome);
    BOOST_TEST((classify(outcome) == error_class::cancelled));
    BOOST_TEST(wrapped.aborts == 1);
    BOOST_TEST(staged_uploads() == 0u);
    BOOST_TEST(!run(io, fs->head("cancelled")));
}

BOOST_AUTO_TEST_CASE(ranged_reader_reads_in_order_with_read_ahead_within_budget) {
    auto data = pattern(10 * mib + 123);
    run(io, fs->put("obj", shared_buffer::copy_of(data)));
    wrapped.delay = [] { return sleep_ms(2); };
    auto budget = runtime::byte_budget::make("test-reads", 4 * mib);
    ranged_reader r(wrapped, "obj", {100, data.size() - 100}, budget,
                    {.range_size = mib, .read_ahead = 3});
    std::string got;
    std::uint64_t expect_offset = 100;
    while (auto chunk = run(io, r.next())) {
        BOOST_TEST(chunk->offset == expect_offset);
        BOOST_TEST(chunk->permit.size() == chunk->bytes.size());
        expect_offset += chunk->bytes.size();
        got.append(chunk->bytes.as_string_view());
    }
    BOOST_TEST((got == data.substr(100)));
    BOOST_TEST(r.ranges_requested() == 11);
    BOOST_TEST(wrapped.peak_in_flight >= 2);
    BOOST_TEST(wrapped.peak_in_flight <= 3);
    BOOST_TEST(budget->peak_in_use() <= 4 * mib);
    BOOST_TEST(budget->available() == 4 * mib);
}

BOOST_AUTO_TEST_CASE(list_all_follows_every_page) {
    std::filesystem::create_directories(dir.path / "many");
    for (int i = 0; i < 2100; ++i) std::ofstream(dir.path / "many" / fmt::format("k{:05}", i)) << i;
    auto all = run(io, list_all(*fs, "many/"));
    BOOST_REQUIRE(all.size() == 2100u);
    BOOST_TEST(all.front().key == "many/k00000");
    BOOST_TEST(all.back().key == "many/k02099");
    BOOST_TEST(
        std::is_sorted(all.begin(), all.end(), [](auto& a, auto& b) { return a.key < b.key; }));
}

BOOST_AUTO_TEST_SUITE_END()
