#pragma once
// What the restore pipeline tests share: a backup's segments written into a fake
// S3 endpoint (one per group of batches, each batch of distinct records), a
// target fake broker, and a Kafka client with an idempotent producer to it.

#include <kb/test/fake_broker.hpp>
#include <kb/test/fake_s3.hpp>

#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/producer.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/storage/checksum.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/segment_writer.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <vector>

namespace kb::test {

namespace kp = kafka::protocol;
namespace sf = storage::format;

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

// Record `offset` of the source: key "k<offset>", value "value of <offset>".
inline std::string key_of(std::int64_t offset) {
    return fmt::format("k{}", offset);
}
inline std::string value_of(std::int64_t offset) {
    return fmt::format("value of {}", offset);
}

inline batch_bytes source_batch(std::int64_t base, int records) {
    std::vector<std::string> keys, values;
    for (int i = 0; i < records; ++i) {
        keys.push_back(key_of(base + i));
        values.push_back(value_of(base + i));
    }
    std::vector<kp::record_input> in(static_cast<std::size_t>(records));
    for (std::size_t i = 0; i < in.size(); ++i) {
        in[i].timestamp = 1'700'000'000'000 + base + static_cast<std::int64_t>(i);
        in[i].key = std::as_bytes(std::span(keys[i]));
        in[i].value = std::as_bytes(std::span(values[i]));
    }
    kp::batch_spec spec;
    spec.base_offset = base;
    return kp::encode_batch(spec, in);
}

// The (key, value) pairs of a partition log, in order.
inline std::vector<std::pair<std::string, std::string>> records_of(
    const std::vector<batch_bytes>& log) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& bytes : log) {
        auto buf = runtime::shared_buffer::copy_of(bytes);
        for (auto& b : kp::split_batches(buf))
            for (auto& r : kp::read_records(b)) {
                auto text = [](const std::optional<std::vector<std::byte>>& v) {
                    return v ? std::string(reinterpret_cast<const char*>(v->data()), v->size())
                             : std::string("<null>");
                };
                out.emplace_back(text(r.key), text(r.value));
            }
    }
    return out;
}

// The records of source offsets [first, last].
inline std::vector<std::pair<std::string, std::string>> expected(std::int64_t first,
                                                                 std::int64_t last) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto o = first; o <= last; ++o) out.emplace_back(key_of(o), value_of(o));
    return out;
}

// Writes one segment of `batches` batches of `records` records from `base`;
// `max_frame_raw` small makes a frame of every batch.
inline boost::asio::awaitable<sf::segment_ref> write_segment(storage::backend& b, std::int64_t base,
                                                             int batches, int records,
                                                             std::size_t max_frame_raw = 1 << 20) {
    sf::segment_writer_options o;
    o.max_frame_raw = max_frame_raw;
    o.topic = "src";
    o.partition = 0;
    o.compression = sf::codec::none;
    sf::segment_writer w(std::move(o));
    std::vector<std::byte> object;
    auto keep = [&](std::vector<runtime::shared_buffer> pieces) {
        for (auto& p : pieces) object.insert(object.end(), p.bytes().begin(), p.bytes().end());
    };
    for (int i = 0; i < batches; ++i, base += records) {
        auto batch = source_batch(base, records);
        auto h = kp::parse_batch_header(batch);
        sf::batch_meta meta{h.base_offset, h.last_offset(), h.base_timestamp, h.max_timestamp,
                            static_cast<std::uint32_t>(records)};
        keep(w.add(runtime::shared_buffer::copy_of(batch), meta));
    }
    keep(w.finish());
    const auto& s = w.summary();
    sf::segment_ref ref;
    ref.key = sf::backup_layout("restore-test").segment("src", 0, s.first_offset);
    ref.first_offset = s.first_offset;
    ref.last_offset = s.last_offset;
    ref.min_timestamp = s.min_timestamp;
    ref.max_timestamp = s.max_timestamp;
    ref.record_count = s.record_count;
    ref.raw_bytes = s.raw_bytes;
    ref.stored_bytes = s.stored_bytes;
    ref.checksum = storage::format_crc32c(s.crc32c);
    ref.compression = "none";
    co_await b.put(ref.key, runtime::shared_buffer::copy_of(object));
    co_return ref;
}

inline kafka::client::client_config client_for(const fake_broker& broker) {
    kafka::client::client_config c;
    c.bootstrap_servers = {broker.bootstrap()};
    c.retry = {.initial_backoff = std::chrono::milliseconds(5),
               .max_backoff = std::chrono::milliseconds(20),
               .deadline = std::chrono::milliseconds(3000)};
    return c;
}

}  // namespace kb::test
