// OSO segment objects: the fixtures decode to exactly the expected records, and a
// damaged object fails with one error naming it and what is wrong.
#include "fixtures.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/format/oso.hpp>

#include <zlib.h>
#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace sf = kb::storage::format;
namespace fs = std::filesystem;
using namespace kb::test::oso;

namespace {

std::vector<plain_record> decode_file(const fs::path& p) {
    auto object = bytes_of(p);
    auto seg = sf::decode_oso_segment(object, p.string());
    std::vector<plain_record> out;
    sf::for_each_oso_record(seg, p.string(), [&](const sf::oso_record& r, auto, auto) {
        plain_record pr{r.offset, r.timestamp, str(r.key), str(r.value), {}};
        for (auto& h : r.headers) pr.headers.emplace_back(std::string(h.key), str(h.value));
        out.push_back(std::move(pr));
    });
    return out;
}

// topics/{topic}/partition={p}/segment-... -> (topic, p)
std::pair<std::string, int> where(const fs::path& p) {
    auto part = p.parent_path().filename().string();
    return {p.parent_path().parent_path().filename().string(), std::stoi(part.substr(10))};
}

std::vector<fs::path> segments_of(const fs::path& version, const std::string& backup) {
    std::vector<fs::path> out;
    for (auto& e : fs::recursive_directory_iterator(version / "backups" / backup))
        if (e.is_regular_file() && sf::looks_like_oso_segment_key(e.path().string()))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

void put_u32le(std::vector<std::byte>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::byte>((v >> (8 * i)) & 0xFF);
}

void fix_crc(std::vector<std::byte>& b) {
    auto n = static_cast<uInt>(b.size() - 8);
    auto crc = ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(b.data()), n);
    put_u32le(b, b.size() - 8, static_cast<std::uint32_t>(crc));
}

// Runs the decoder and the record walk; returns the error (code, message).
std::pair<std::string, std::string> failure_of(const std::vector<std::byte>& object,
                                               const std::string& name) {
    try {
        auto seg = sf::decode_oso_segment(object, name);
        sf::for_each_oso_record(seg, name, [](const auto&, auto, auto) {});
    } catch (const kb::error& e) {
        return {e.code(), e.what()};
    }
    return {"", ""};
}

const fs::path sample =
    v0174 /
    "backups/oso-none/topics/osoformat-fx-orders/partition=1/segment-00000000000000000000.bin";

}  // namespace

BOOST_AUTO_TEST_SUITE(oso_segment)

BOOST_AUTO_TEST_CASE(every_codec_decodes_to_the_expected_records) {
    auto backups = all_backups();
    BOOST_TEST(backups.size() >= 3u);
    for (auto& [version, backup] : backups) {
        auto want = expected(version);
        std::map<std::pair<std::string, int>, std::vector<plain_record>> got;
        auto files = segments_of(version, backup);
        BOOST_TEST(files.size() == 15u);
        for (auto& f : files) {
            auto recs = decode_file(f);
            auto& dst = got[where(f)];
            dst.insert(dst.end(), recs.begin(), recs.end());
        }
        BOOST_TEST_INFO("backup " << version.filename() << "/" << backup);
        BOOST_TEST(got.size() == want.size());
        for (auto& [tp, recs] : want) {
            BOOST_TEST_INFO(backup << " " << tp.first << "-" << tp.second);
            BOOST_TEST((got[tp] == recs));
        }
    }
}

BOOST_AUTO_TEST_CASE(null_key_null_value_and_empty_value_survive) {
    auto recs = decode_file(v0174 /
                            "backups/oso-lz4/topics/osoformat-fx-orders/partition=2/"
                            "segment-00000000000000000012.bin.lz4");
    BOOST_REQUIRE(recs.size() == 2u);
    BOOST_TEST(!recs[0].key.has_value());  // ":no key here"
    BOOST_TEST(*recs[0].value == "no key here");
    BOOST_TEST(*recs[1].key == "empty-2");
    BOOST_TEST(recs[1].value.has_value());  // empty, not null
    BOOST_TEST(recs[1].value->empty());
}

BOOST_AUTO_TEST_CASE(bad_magic_is_named) {
    auto b = bytes_of(sample);
    b[0] = std::byte{'X'};
    auto [code, msg] = failure_of(b, "seg-A");
    BOOST_TEST(code == "CorruptSegment");
    BOOST_TEST(msg.find("segment seg-A") != std::string::npos);
    BOOST_TEST(msg.find("KBAK") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_crc_is_named) {
    auto b = bytes_of(sample);
    b[100] ^= std::byte{0x01};
    auto [code, msg] = failure_of(b, "seg-B");
    BOOST_TEST(code == "CorruptSegment");
    BOOST_TEST(msg.find("segment seg-B") != std::string::npos);
    BOOST_TEST(msg.find("CRC-32 mismatch") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(truncated_object_is_named) {
    auto b = bytes_of(sample);
    b.resize(b.size() - 10);
    auto [code, msg] = failure_of(b, "seg-C");
    BOOST_TEST(code == "TruncatedSegment");
    BOOST_TEST(msg.find("segment seg-C") != std::string::npos);
    b.resize(20);
    BOOST_TEST(failure_of(b, "seg-C").first == "TruncatedSegment");
}

BOOST_AUTO_TEST_CASE(records_cut_short_inside_a_valid_crc_are_named) {
    auto b = bytes_of(sample);
    // Drop the last record frame's tail but keep the object well formed.
    std::vector<std::byte> cut(b.begin(), b.end() - 8 - 5);
    cut.insert(cut.end(), b.end() - 8, b.end());
    fix_crc(cut);
    auto [code, msg] = failure_of(cut, "seg-D");
    BOOST_TEST(code == "TruncatedSegment");
    BOOST_TEST(msg.find("segment seg-D: records at byte") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(record_count_disagreeing_with_the_header_is_named) {
    auto b = bytes_of(sample);
    b[8] = static_cast<std::byte>(std::to_integer<int>(b[8]) + 1);
    fix_crc(b);
    auto [code, msg] = failure_of(b, "seg-E");
    BOOST_TEST(code == "TruncatedSegment");
    BOOST_TEST(msg.find("where the header says 7") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(negative_offset_is_named) {
    auto b = bytes_of(sample);
    for (std::size_t i = 0; i < 8; ++i) b[32 + 4 + 8 + i] = std::byte{0xFF};  // first record: -1
    fix_crc(b);
    auto [code, msg] = failure_of(b, "seg-G");
    BOOST_TEST(code == "CorruptSegment");
    BOOST_TEST(msg.find("segment seg-G: records at byte 0: negative offset -1") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(corrupt_compressed_payload_is_named) {
    for (auto f : {"backups/oso-zstd/topics/osoformat-fx-orders/partition=0/"
                   "segment-00000000000000000000.bin.zst",
                   "backups/oso-lz4/topics/osoformat-fx-orders/partition=0/"
                   "segment-00000000000000000000.bin.lz4"}) {
        auto b = bytes_of(v0174 / f);
        for (std::size_t i = 40; i < 60; ++i) b[i] = std::byte{0xFF};
        fix_crc(b);
        auto [code, msg] = failure_of(b, "seg-F");
        BOOST_TEST_INFO(f);
        BOOST_TEST(!code.empty());
        BOOST_TEST(msg.find("segment seg-F") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(segment_keys_are_recognised) {
    BOOST_TEST(
        sf::looks_like_oso_segment_key("b/topics/t/partition=0/segment-00000000000000000012.bin"));
    BOOST_TEST(sf::looks_like_oso_segment_key("segment-00000000000000000000.bin.zst"));
    BOOST_TEST(sf::looks_like_oso_segment_key("x/segment-00000000000000000000.bin.lz4"));
    BOOST_TEST(!sf::looks_like_oso_segment_key(
        "b/segments/t/0/00000000000000000000-00000000000000000009.seg"));
    BOOST_TEST(!sf::looks_like_oso_segment_key("x/segment-12.bin"));
    BOOST_TEST(!sf::looks_like_oso_segment_key("x/segment-0000000000000000000a.bin"));
}

BOOST_AUTO_TEST_SUITE_END()
