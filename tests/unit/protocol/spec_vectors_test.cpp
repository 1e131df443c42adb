// Byte vectors written out by hand from the Kafka protocol guide, so the encoders
// are checked against the spec rather than against themselves.

#include <kb/kafka/protocol/api_versions.hpp>
#include <kb/kafka/protocol/header.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/kafka/protocol/record_batch.hpp>

#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

using namespace kb::kafka::protocol;
using kb::kafka::protocol::test::bytes_of;
using kb::runtime::shared_buffer;

BOOST_AUTO_TEST_SUITE(spec_vectors)

BOOST_AUTO_TEST_CASE(api_versions_v0_request) {
    const auto frame = encode_request_frame(api_versions_request{}, 0, 1, "kb");
    // size 12 | api_key 18 | version 0 | correlation 1 | client_id "kb" | empty body
    BOOST_TEST((frame == bytes_of({0, 0, 0, 12, 0, 18, 0, 0, 0, 0, 0, 1, 0, 2, 'k', 'b'})));
}

BOOST_AUTO_TEST_CASE(api_versions_v3_request) {
    api_versions_request req;
    req.client_software_name = "kb";
    req.client_software_version = "1.0";
    const auto frame = encode_request_frame(req, 3, 7, "c");
    // Header v2: classic nullable client_id, then an empty tag section.
    // Body: compact strings (length + 1 as uvarint) and an empty tag section.
    BOOST_TEST((frame == bytes_of({
                             0, 0,   0,   20,                    // size
                             0, 18,  0,   3,  0,   0,   0,   7,  // key, version, correlation
                             0, 1,   'c', 0,                     // client_id, header tags
                             3, 'k', 'b', 4,  '1', '.', '0', 0   // body
                         })));
}

BOOST_AUTO_TEST_CASE(api_versions_v3_response) {
    // error 0 | compact array of 1: (key 3, min 0, max 12, no tags) | throttle 0 | no tags
    const auto body = bytes_of({0, 0, 2, 0, 3, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0});
    reader r(body);
    const auto resp = api_versions_response::decode(r, 3);
    BOOST_TEST(r.empty());
    BOOST_TEST(resp.error_code == 0);
    BOOST_TEST(resp.find(api_key::Metadata).value().max == 12);
    BOOST_TEST(!resp.find(api_key::Fetch).has_value());
}

BOOST_AUTO_TEST_CASE(api_versions_unsupported_version_falls_back_to_v0_layout) {
    // A broker that cannot answer v3 replies UNSUPPORTED_VERSION (35) in the v0 layout:
    // int16 error, int32 array count, entries, no throttle, no tags.
    const auto body = bytes_of({0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 2});
    reader r(body);
    const auto resp = api_versions_response::decode(r, 3);
    BOOST_TEST(r.empty());
    BOOST_TEST(resp.error_code == 35);
    BOOST_TEST(resp.find(api_key::ApiVersions).value().max == 2);
}

BOOST_AUTO_TEST_CASE(metadata_v1_request) {
    metadata_request req;
    req.topics = std::vector<metadata_request::topic>{{{}, "t1"}};
    const auto frame = encode_request_frame(req, 1, 2, "kb");
    BOOST_TEST((frame == bytes_of({0, 0, 0,   20,  0, 3, 0, 1, 0, 0, 0,   2,
                                   0, 2, 'k', 'b', 0, 0, 0, 1, 0, 2, 't', '1'})));
    metadata_request all;
    const auto all_frame = encode_request_frame(all, 1, 2, "kb");
    BOOST_TEST((std::vector<std::byte>(all_frame.end() - 4, all_frame.end()) ==
                bytes_of({0xff, 0xff, 0xff, 0xff})));  // null array = every topic
}

// One record (null key, value "v", timestamp 1000) in an uncompressed batch with no
// producer id. CRC32C over bytes 21..end was computed independently (bit by bit).
const auto expected_batch = bytes_of({
    0,    0,    0,    0,    0,    0,    0,    0,     // base offset 0
    0,    0,    0,    57,                            // batch length
    0xff, 0xff, 0xff, 0xff,                          // partition leader epoch -1
    2,                                               // magic
    0xae, 0x59, 0xb0, 0x8f,                          // crc
    0,    0,                                         // attributes
    0,    0,    0,    0,                             // last offset delta
    0,    0,    0,    0,    0,    0,    0x03, 0xe8,  // base timestamp 1000
    0,    0,    0,    0,    0,    0,    0x03, 0xe8,  // max timestamp 1000
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // producer id -1
    0xff, 0xff,                                      // producer epoch -1
    0xff, 0xff, 0xff, 0xff,                          // base sequence -1
    0,    0,    0,    1,                             // record count
    0x0e,                                            // record length 7 (zig-zag)
    0,                                               // record attributes
    0,                                               // timestamp delta 0
    0,                                               // offset delta 0
    0x01,                                            // key length -1 (null)
    0x02, 'v',                                       // value length 1, "v"
    0,                                               // header count 0
});

BOOST_AUTO_TEST_CASE(record_batch_encodes_to_the_spec_bytes) {
    record_input in;
    in.timestamp = 1000;
    const auto value = bytes_of("v");
    in.value = std::span<const std::byte>(value);
    BOOST_TEST((encode_batch({}, std::span(&in, 1)) == expected_batch));
}

BOOST_AUTO_TEST_CASE(record_batch_decodes_from_the_spec_bytes) {
    const auto batches = split_batches(shared_buffer::copy_of(expected_batch), nullptr);
    BOOST_REQUIRE_EQUAL(batches.size(), 1u);
    BOOST_TEST(batches[0].crc_ok());
    BOOST_TEST(batches[0].header.crc == 0xae59b08fu);
    int count = 0;
    for_each_record(batches[0], [&](const record& r) {
        ++count;
        BOOST_TEST(r.offset == 0);
        BOOST_TEST(r.timestamp == 1000);
        BOOST_TEST(!r.key.has_value());
        BOOST_TEST(r.value.value().size() == 1u);
        BOOST_TEST(r.headers.empty());
    });
    BOOST_TEST(count == 1);
}

BOOST_AUTO_TEST_SUITE_END()
