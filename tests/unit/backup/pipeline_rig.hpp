#pragma once
// What the backup pipeline tests share: record batches for the fake broker,
// backup settings pointed at it, running a coroutine with a time limit, and
// reading a segment held in memory back into its batches.

#include <kb/test/fake_broker.hpp>

#include "coordinator.hpp"  // backup_job::state owns one
#include "job_state.hpp"

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace kb::test {

// A v2 batch of `records` records with `value_bytes`-byte values (its base offset
// is set by the broker's log).
inline batch_bytes make_batch(int records, std::size_t value_bytes, std::int64_t timestamp = 1000) {
    std::string value(value_bytes, 'v');
    std::vector<kafka::protocol::record_input> in(static_cast<std::size_t>(records));
    for (auto& r : in) {
        r.timestamp = timestamp;
        r.value = std::as_bytes(std::span(value));
    }
    kafka::protocol::batch_spec spec;
    return kafka::protocol::encode_batch(spec, in);
}

// `batches` batches of `records` records each into topic/partition 0.
inline void fill_log(fake_broker& broker, const std::string& topic, int batches, int records,
                     std::size_t value_bytes) {
    broker.add_topic(topic, 1);
    for (int i = 0; i < batches; ++i) broker.append(topic, 0, make_batch(records, value_bytes));
}

inline backup::backup_settings settings_for(const fake_broker& broker) {
    backup::backup_settings s;
    s.backup_id = "pipe";
    s.kafka.bootstrap_servers = {broker.bootstrap()};
    s.kafka.retry = {.initial_backoff = std::chrono::milliseconds(5),
                     .max_backoff = std::chrono::milliseconds(20),
                     .deadline = std::chrono::milliseconds(3000)};
    s.options.codec = config::compression::none;
    s.memory_budget = 64ull << 20;
    s.shards = 1;
    s.publish_interval = std::chrono::milliseconds(0);
    return s;
}

// Runs `work` on `io` for at most `limit`; fails the test when it does not end.
template <class T>
T run_within(boost::asio::io_context& io, boost::asio::awaitable<T> work,
             std::chrono::milliseconds limit = std::chrono::milliseconds(10'000)) {
    auto f = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
    io.restart();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready &&
           std::chrono::steady_clock::now() < deadline)
        io.run_for(std::chrono::milliseconds(20));
    BOOST_REQUIRE_MESSAGE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready,
                          "the coroutine did not finish within the limit");
    return f.get();
}

// The batches of a segment object (compressed with `codec`), in order.
inline std::vector<batch_bytes> batches_of(
    std::span<const std::byte> object,
    storage::format::codec codec = storage::format::codec::none) {
    namespace sf = storage::format;
    auto footer = sf::verify_segment(object, "segment");
    std::vector<batch_bytes> out;
    for (std::size_t i = 0; i < footer.frames.size(); ++i) {
        const auto& f = footer.frames[i];
        auto frame = sf::decode_frame(codec, f, i, object.subspan(f.stored_offset, f.stored_size),
                                      "segment");
        for (auto& b : sf::split_batches(frame.raw))
            out.emplace_back(b.bytes().begin(), b.bytes().end());
    }
    return out;
}

}  // namespace kb::test
