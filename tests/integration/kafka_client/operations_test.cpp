// Topic administration, offsets, produce and fetch against the real broker.
#include "support.hpp"

#include <kb/kafka/client/admin.hpp>
#include <kb/kafka/client/fetch.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/kafka/client/producer.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <map>

using namespace kbtest;
namespace proto = kb::kafka::protocol;
namespace asio = boost::asio;

namespace {

asio::awaitable<void> create(kc::cluster& c, std::string name, int partitions,
                             std::map<std::string, std::string> configs) {
    kc::new_topic t;
    t.name = name;
    t.partitions = partitions;
    t.replication_factor = 1;
    t.configs = std::move(configs);
    // Test records carry old timestamps; time-based retention would delete them.
    t.configs.emplace("retention.ms", "-1");
    std::vector<kc::new_topic> topics;
    topics.push_back(std::move(t));
    co_await kc::create_topics(c, std::move(topics));
}

asio::awaitable<void> drop(kc::cluster& c, std::string name) {
    std::vector<std::string> names;
    names.push_back(std::move(name));
    co_await kc::delete_topics(c, std::move(names));
}

std::vector<record> sample_records(int n, std::int64_t base_ts) {
    std::vector<record> out;
    for (int i = 0; i < n; ++i) {
        record r;
        r.timestamp = base_ts + i;
        if (i % 3 != 0) r.key = bytes("key-" + std::to_string(i));
        if (i % 5 != 4) r.value = bytes("value-" + std::to_string(i));  // every 5th a tombstone
        r.headers.push_back({"h", bytes("a")});
        r.headers.push_back({"h", std::nullopt});  // duplicate key, null value
        r.headers.push_back({"trace", bytes(std::to_string(i))});
        out.push_back(std::move(r));
    }
    return out;
}

// Produces `batch` with a fresh idempotent producer and returns the base offset.
asio::awaitable<kc::produce_result> produce_one(kc::cluster& c, std::string topic, int partition,
                                                kb::runtime::shared_buffer batch) {
    kc::producer p(c);
    co_await p.init();
    co_return co_await p.produce(topic, partition, batch);
}

void expect_same(const std::vector<record>& got, const std::vector<record>& want,
                 std::int64_t first_offset) {
    BOOST_REQUIRE_EQUAL(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        BOOST_TEST_CONTEXT("record " << i) {
            BOOST_TEST(got[i].offset == first_offset + static_cast<std::int64_t>(i));
            BOOST_TEST(got[i].timestamp == want[i].timestamp);
            BOOST_TEST(text(got[i].key) == text(want[i].key));
            BOOST_TEST(text(got[i].value) == text(want[i].value));
            BOOST_REQUIRE_EQUAL(got[i].headers.size(), want[i].headers.size());
            for (std::size_t h = 0; h < got[i].headers.size(); ++h) {
                BOOST_TEST(got[i].headers[h].key == want[i].headers[h].key);
                BOOST_TEST(text(got[i].headers[h].value) == text(want[i].headers[h].value));
            }
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admin)

BOOST_AUTO_TEST_CASE(create_describe_grow_list_delete) {
    kafka k;
    const auto name = unique_name("kb-admin");
    k(create(*k.cluster, name, 2, {{"retention.ms", "123456789"}, {"cleanup.policy", "compact"}}));

    auto listing = k(kc::list_topics(*k.cluster));
    BOOST_TEST(!listing.cluster_id.empty());
    auto it = std::find_if(listing.topics.begin(), listing.topics.end(),
                           [&](const auto& t) { return t.name == name; });
    BOOST_REQUIRE(it != listing.topics.end());
    BOOST_TEST(it->partitions.size() == 2u);
    BOOST_TEST(it->replication_factor() == 1);
    BOOST_TEST(!it->id.is_zero());
    for (const auto& t : listing.topics) BOOST_TEST(!t.internal);
    auto with_internal = k(kc::list_topics(*k.cluster, true));
    BOOST_TEST(with_internal.topics.size() >= listing.topics.size());

    std::vector<std::string> topics{name};
    auto configs = k(kc::describe_topic_configs(*k.cluster, topics));
    std::map<std::string, std::string> set;
    for (const auto& e : configs.at(name)) set[e.name] = e.value.value_or("<null>");
    BOOST_TEST(set.size() == 2u);  // only what we set, not the broker defaults
    BOOST_TEST(set["retention.ms"] == "123456789");
    BOOST_TEST(set["cleanup.policy"] == "compact");

    k(kc::create_partitions(*k.cluster, name, 5));
    BOOST_TEST(k.cluster->metadata().topic(name)->partitions.size() == 5u);

    // Creating it again is a clear error unless asked to ignore it.
    try {
        k(create(*k.cluster, name, 1, {}));
        BOOST_FAIL("creating an existing topic succeeded");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "TOPIC_ALREADY_EXISTS");
    }

    k(drop(*k.cluster, name));
    BOOST_TEST(k.cluster->metadata().topic(name) == nullptr);
    try {
        k(drop(*k.cluster, name));
        BOOST_FAIL("deleting a missing topic succeeded");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "UNKNOWN_TOPIC_OR_PARTITION");
        BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::not_found));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(produce_fetch)

BOOST_AUTO_TEST_CASE(every_codec_round_trips_exactly) {
    kafka k;
    const auto name = unique_name("kb-codecs");
    k(create(*k.cluster, name, 1, {}));
    std::int64_t expected_offset = 0;
    std::vector<record> all;
    for (auto codec : {proto::codec::none, proto::codec::gzip, proto::codec::snappy,
                       proto::codec::lz4, proto::codec::zstd}) {
        auto records = sample_records(20, 1'700'000'000'000 + expected_offset);
        auto result = k(produce_one(*k.cluster, name, 0, make_batch(records, codec)));
        BOOST_TEST(result.base_offset == expected_offset);
        BOOST_TEST(result.records == 20);
        expected_offset += 20;
        all.insert(all.end(), records.begin(), records.end());
    }
    expect_same(read_all(k, name), all, 0);

    // Earliest/latest/by-time offsets agree with what we wrote.
    auto earliest = k(kc::topic_offsets(*k.cluster, name, kc::offset_spec::earliest()));
    auto latest = k(kc::topic_offsets(*k.cluster, name, kc::offset_spec::latest()));
    auto at = k(kc::topic_offsets(*k.cluster, name, kc::offset_spec::at_time(1'700'000'000'045)));
    BOOST_TEST(earliest.front().offset == 0);
    BOOST_TEST(latest.front().offset == 100);
    BOOST_TEST(at.front().offset == 45);
    BOOST_TEST(at.front().timestamp == 1'700'000'000'045);
    k(drop(*k.cluster, name));
}

BOOST_AUTO_TEST_CASE(fetch_limits_whole_batches_and_out_of_range) {
    kafka k;
    const auto name = unique_name("kb-fetch");
    k(create(*k.cluster, name, 1, {}));
    // Ten batches of ~20 KB each.
    for (int b = 0; b < 10; ++b) {
        std::vector<record> rs;
        for (int i = 0; i < 20; ++i) {
            record r;
            r.timestamp = 1'700'000'000'000;
            r.value = bytes(std::string(1000, static_cast<char>('a' + b)));
            rs.push_back(std::move(r));
        }
        k(produce_one(*k.cluster, name, 0, make_batch(rs, proto::codec::none)));
    }
    // A small limit cuts a batch short: it is dropped, not returned half.
    kc::fetch_partition want{name, 0, 0, 50'000};
    auto got = k(kc::fetch_one(*k.cluster, want));
    auto batches = proto::split_batches(got.records);
    BOOST_TEST(got.batch_count == batches.size());
    BOOST_TEST(batches.size() == 2u);
    BOOST_TEST(got.truncated_tail);
    BOOST_TEST(got.next_offset == 40);
    BOOST_TEST(got.high_watermark == 200);
    BOOST_TEST(got.log_start_offset == 0);
    for (const auto& b : batches) BOOST_TEST(b.crc_ok());

    // A limit below one batch still returns that batch whole.
    want.max_bytes = 100;
    got = k(kc::fetch_one(*k.cluster, want));
    BOOST_TEST(got.batch_count == 1u);
    BOOST_TEST(got.next_offset == 20);

    // Fetching at the end returns nothing after waiting max_wait; past the end is an error.
    want.offset = 200;
    kc::fetch_options quick;
    quick.max_wait = std::chrono::milliseconds(50);
    got = k(kc::fetch_one(*k.cluster, want, quick));
    BOOST_TEST(got.records.empty());
    BOOST_TEST(got.next_offset == 200);
    want.offset = 500;
    try {
        k(kc::fetch_one(*k.cluster, want, quick));
        BOOST_FAIL("fetch past the end succeeded");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "OFFSET_OUT_OF_RANGE");
        BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::not_found));
    }
    k(drop(*k.cluster, name));
}

BOOST_AUTO_TEST_CASE(multi_partition_fetch_and_unknown_topic) {
    kafka k;
    const auto name = unique_name("kb-multi");
    k(create(*k.cluster, name, 3, {}));
    for (int p = 0; p < 3; ++p)
        k(produce_one(*k.cluster, name, p,
                      make_batch(sample_records(p + 1, 1), proto::codec::lz4)));
    std::vector<kc::fetch_partition> parts;
    for (int p = 0; p < 3; ++p) parts.push_back({name, p, 0, 1 << 20});
    auto got = k(kc::fetch(*k.cluster, parts));
    BOOST_REQUIRE_EQUAL(got.size(), 3u);
    for (int p = 0; p < 3; ++p) {
        BOOST_TEST(got[p].partition == p);
        BOOST_TEST(got[p].error_code == 0);
        BOOST_TEST(got[p].high_watermark == p + 1);
        BOOST_TEST(got[p].next_offset == p + 1);
    }
    kc::fetch_partition missing{unique_name("kb-no-such-topic"), 0, 0, 1 << 20};
    try {
        k(kc::fetch_one(*k.cluster, missing));
        BOOST_FAIL("fetch from a missing topic succeeded");
    } catch (const kb::error& e) {
        BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::not_found));
        BOOST_TEST(std::string(e.what()).find(missing.topic) != std::string::npos);
    }
    k(drop(*k.cluster, name));
}

BOOST_AUTO_TEST_CASE(pipelined_idempotent_produce_keeps_order) {
    kafka k;
    const auto name = unique_name("kb-pipelined");
    k(create(*k.cluster, name, 1, {}));
    // 40 batches produced concurrently (5 in flight): sequence numbers keep them in order.
    auto run_all = [](kc::cluster* c,
                      std::string topic) -> asio::awaitable<std::vector<std::int64_t>> {
        kc::producer p(*c);
        co_await p.init();
        std::vector<asio::awaitable<kc::produce_result>> calls;
        for (int b = 0; b < 40; ++b) {
            std::vector<record> rs = sample_records(10, b * 10);
            calls.push_back(p.produce(topic, 0, make_batch(rs, proto::codec::zstd)));
        }
        std::vector<std::int64_t> offsets;
        auto ex = co_await asio::this_coro::executor;
        std::vector<std::shared_ptr<kc::produce_result>> results;
        int remaining = 40;
        asio::steady_timer done(ex, asio::steady_timer::time_point::max());
        for (auto& call : calls) {
            auto slot = std::make_shared<kc::produce_result>();
            results.push_back(slot);
            asio::co_spawn(ex, std::move(call),
                           [slot, &remaining, &done](std::exception_ptr e, kc::produce_result r) {
                               if (!e) *slot = r;
                               if (--remaining == 0) done.cancel();
                           });
        }
        co_await done.async_wait(asio::as_tuple(asio::use_awaitable));
        for (auto& r : results) offsets.push_back(r->base_offset);
        co_return offsets;
    };
    auto offsets = k(run_all(k.cluster.get(), name));
    for (int b = 0; b < 40; ++b) BOOST_TEST(offsets[b] == b * 10);
    auto records = read_all(k, name);
    BOOST_REQUIRE_EQUAL(records.size(), 400u);
    for (int i = 0; i < 400; ++i) BOOST_TEST(records[i].timestamp == i);
    k(drop(*k.cluster, name));
}

BOOST_AUTO_TEST_CASE(message_too_large_is_reported) {
    kafka k;
    const auto name = unique_name("kb-too-large");
    k(create(*k.cluster, name, 1, {{"max.message.bytes", "100000"}}));
    record r;
    r.timestamp = 1;
    r.value = bytes(std::string(200'000, 'x'));
    try {
        k(produce_one(*k.cluster, name, 0, make_batch({r}, proto::codec::none)));
        BOOST_FAIL("an oversize batch was accepted");
    } catch (const kb::error& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST(e.code() == "MESSAGE_TOO_LARGE");
        BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::fatal));
        BOOST_TEST(std::string(e.what()).find("max.message.bytes") != std::string::npos);
    }
    k(drop(*k.cluster, name));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(big_messages)

// A 10 MB and a 50 MB message, produced and fetched back by us byte for byte.
BOOST_AUTO_TEST_CASE(ten_and_fifty_megabyte_messages_round_trip) {
    auto cfg = plaintext_config();
    cfg.request_timeout = std::chrono::seconds(60);
    kafka k(cfg);
    const auto name = unique_name("kb-big");
    k(create(*k.cluster, name, 1, {{"max.message.bytes", "60000000"}}));
    std::vector<record> sent;
    std::uint32_t seed = 12345;
    for (std::size_t size : {std::size_t{10} << 20, std::size_t{50} << 20}) {
        record r;
        r.timestamp = 1'700'000'000'000;
        r.key = bytes("size-" + std::to_string(size));
        std::vector<std::byte> value(size);
        for (auto& b : value) {  // incompressible, reproducible
            seed = seed * 1664525u + 1013904223u;
            b = static_cast<std::byte>(seed >> 24);
        }
        r.value = std::move(value);
        auto result = k(produce_one(*k.cluster, name, 0, make_batch({r}, proto::codec::zstd)));
        BOOST_TEST(result.records == 1);
        sent.push_back(std::move(r));
    }
    auto got = read_all(k, name);
    BOOST_REQUIRE_EQUAL(got.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        BOOST_TEST(got[i].value->size() == sent[i].value->size());
        BOOST_TEST((*got[i].value == *sent[i].value));
        BOOST_TEST(text(got[i].key) == text(sent[i].key));
    }
    k(drop(*k.cluster, name));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(memory_budget)

// Response buffers are paid for from the configured budget until their last slice drops.
BOOST_AUTO_TEST_CASE(fetch_responses_hold_budget_permits) {
    auto cfg = plaintext_config();
    cfg.memory_budget = kb::runtime::byte_budget::make("kafka-test", 8 << 20);
    kafka k(cfg);
    const auto name = unique_name("kb-budget");
    k(create(*k.cluster, name, 1, {}));
    record r;
    r.timestamp = 1;
    r.value = bytes(std::string(2 << 20, 'b'));
    k(produce_one(*k.cluster, name, 0, make_batch({r}, proto::codec::none)));

    const auto capacity = cfg.memory_budget->capacity();
    kc::fetch_partition want{name, 0, 0, 4 << 20};
    {
        auto got = k(kc::fetch_one(*k.cluster, want));
        BOOST_TEST(got.records.size() > (2u << 20));
        // The response is still held through `got.records`.
        BOOST_TEST(cfg.memory_budget->available() <= capacity - got.records.size());
    }
    BOOST_TEST(cfg.memory_budget->available() == capacity);  // all returned

    // A response larger than the whole budget fails instead of waiting forever.
    r.value = bytes(std::string(9 << 20, 'c'));
    k(produce_one(*k.cluster, name, 0, make_batch({r}, proto::codec::none)));
    want.offset = 1;
    want.max_bytes = 16 << 20;
    BOOST_CHECK_THROW(k(kc::fetch_one(*k.cluster, want)), std::exception);
    k(drop(*k.cluster, name));
}

BOOST_AUTO_TEST_SUITE_END()
