// Multipart uploads against the real MinIO: a 1 GiB object with several parts
// in flight completes and is byte-exact for awscli; parts are verified by the
// server (the multipart ETag is the MD5 of the part MD5s); a too-small part is
// refused; an aborted upload leaves nothing behind.
#include "s3_env.hpp"
#include "tcp_proxy.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/s3/digest.hpp>
#include <kb/storage/s3/request.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace kb::s3test;
using boost::asio::awaitable;
using kb::storage::completed_part;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t part_size = 16u << 20;
constexpr int part_count = 64;  // 1 GiB

std::array<unsigned char, 16> md5(std::span<const std::byte> bytes) {
    std::array<unsigned char, 16> out{};
    unsigned len = 0;
    EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_md5(), nullptr);
    return out;
}

// S3's multipart ETag: hex MD5 of the concatenated binary part MD5s, "-", part count.
std::string multipart_etag(const std::vector<std::array<unsigned char, 16>>& part_md5s) {
    std::vector<std::byte> joined;
    for (const auto& m : part_md5s)
        for (auto c : m) joined.push_back(static_cast<std::byte>(c));
    auto whole = md5(joined);
    return kb::storage::s3::hex({reinterpret_cast<const std::byte*>(whole.data()), whole.size()}) +
           "-" + std::to_string(part_md5s.size());
}

struct upload_state {
    std::string key, upload_id;
    int next = 1;
    std::vector<completed_part> parts;
    std::vector<std::array<unsigned char, 16>> md5s;
};

// Takes the next part number until none is left; four of these keep four parts in flight.
awaitable<void> part_worker(kb::storage::backend& b, upload_state& st) {
    while (st.next <= part_count) {
        int n = st.next++;
        auto bytes = random_bytes(part_size, static_cast<std::uint64_t>(n));
        st.md5s[static_cast<std::size_t>(n - 1)] = md5(bytes);
        st.parts[static_cast<std::size_t>(n - 1)] =
            co_await b.upload_part(st.key, st.upload_id, n, as_buffer(std::move(bytes)));
    }
}

awaitable<void> upload_all(kb::storage::backend& b, upload_state& st) {
    co_await (part_worker(b, st) && part_worker(b, st) && part_worker(b, st) && part_worker(b, st));
}

std::string expected_sha256_of_all_parts() {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    for (int n = 1; n <= part_count; ++n) {
        auto bytes = random_bytes(part_size, static_cast<std::uint64_t>(n));
        EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
    }
    std::array<std::byte, 32> out{};
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &len);
    EVP_MD_CTX_free(ctx);
    return kb::storage::s3::hex(out);
}

std::string full_key(const std::string& key) {
    return run_prefix() + "/" + key;
}

std::string uploads_in_progress(const std::string& key) {
    return aws(fmt::format("s3api list-multipart-uploads --bucket {} --prefix '{}' --output json",
                           env().bucket, full_key(key)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_multipart)

BOOST_AUTO_TEST_CASE(one_gib_with_four_parts_in_flight) {
    harness h;
    upload_state st;
    st.key = "multipart/one-gib.bin";
    st.parts.resize(part_count);
    st.md5s.resize(part_count);
    st.upload_id = h.run(h.b().create_multipart(st.key));
    h.run(upload_all(h.b(), st));
    h.run(h.b().complete_multipart(st.key, st.upload_id, st.parts));

    auto info = h.run(h.b().head(st.key));
    BOOST_REQUIRE(info.has_value());
    BOOST_TEST(info->size == std::uint64_t{part_size} * part_count);
    BOOST_TEST(info->etag == multipart_etag(st.md5s));

    std::string out;
    int rc = aws_status(
        fmt::format("s3 cp 's3://{}/{}' - | sha256sum", env().bucket, full_key(st.key)), &out);
    BOOST_REQUIRE(rc == 0);
    BOOST_TEST(out.substr(0, 64) == expected_sha256_of_all_parts());
    h.run(h.b().remove(st.key));
}

BOOST_AUTO_TEST_CASE(parts_completed_out_of_order_are_read_back_by_aws) {
    harness h;
    const std::string key = "multipart/small.bin";
    auto a = random_bytes(5u << 20, 11), b = random_bytes(5u << 20, 12), c = random_bytes(1, 13);
    auto id = h.run(h.b().create_multipart(key));
    auto p2 = h.run(h.b().upload_part(key, id, 2, as_buffer(b)));
    auto p3 = h.run(h.b().upload_part(key, id, 3, as_buffer(c)));
    auto p1 = h.run(h.b().upload_part(key, id, 1, as_buffer(a)));
    h.run(h.b().complete_multipart(key, id, {p3, p1, p2}));

    auto file = temp_path("multipart-small");
    aws(fmt::format("s3 cp 's3://{}/{}' '{}' --only-show-errors", env().bucket, full_key(key),
                    file));
    auto expected = a;
    expected.insert(expected.end(), b.begin(), b.end());
    expected.insert(expected.end(), c.begin(), c.end());
    BOOST_TEST((read_file(file) == expected));
    std::remove(file.c_str());
    h.run(h.b().remove(key));
}

BOOST_AUTO_TEST_CASE(a_part_below_5_mib_is_refused_and_abort_cleans_up) {
    harness h;
    const std::string key = "multipart/too-small.bin";
    auto id = h.run(h.b().create_multipart(key));
    auto p1 = h.run(h.b().upload_part(key, id, 1, as_buffer(random_bytes(1u << 20, 21))));
    auto p2 = h.run(h.b().upload_part(key, id, 2, as_buffer(random_bytes(1u << 20, 22))));
    BOOST_TEST(uploads_in_progress(key).find(id) != std::string::npos);
    BOOST_CHECK_EXCEPTION(
        h.run(h.b().complete_multipart(key, id, {p1, p2})), kb::error, [](const kb::error& e) {
            return e.cls() == kb::error_class::fatal && e.code() == "EntityTooSmall";
        });
    h.run(h.b().abort_multipart(key, id));
    BOOST_TEST(uploads_in_progress(key).find(id) == std::string::npos);
    BOOST_TEST(!h.run(h.b().head(key)).has_value());
    BOOST_CHECK_NO_THROW(h.run(h.b().abort_multipart(key, id)));  // already gone: not an error
}

// CompleteMultipartUpload succeeds on the server but its answer never arrives: the
// retry finds no upload (NoSuchUpload) and recognises the object it completed.
BOOST_AUTO_TEST_CASE(a_lost_answer_to_complete_is_recognised_on_retry) {
    harness direct;
    const std::string key = "multipart/lost-answer.bin";
    auto id = direct.run(direct.b().create_multipart(key));
    auto p1 = direct.run(direct.b().upload_part(key, id, 1, as_buffer(random_bytes(5u << 20, 71))));
    auto p2 = direct.run(direct.b().upload_part(key, id, 2, as_buffer(random_bytes(10, 72))));

    auto ep = kb::storage::s3::parse_endpoint(env().endpoint);
    tcp_proxy proxy(ep.host, ep.port);
    proxy.mute_next_connection();
    auto cfg = minio_config();
    cfg.endpoint = proxy.url();
    cfg.request_timeout = std::chrono::seconds(2);
    harness muted(cfg);
    BOOST_CHECK_NO_THROW(muted.run(muted.b().complete_multipart(key, id, {p1, p2})));
    BOOST_TEST(proxy.accepted() >= 2);  // the first answer was lost, the retry went through
    auto info = direct.run(direct.b().head(key));
    BOOST_REQUIRE(info.has_value());
    BOOST_TEST(info->size == (5u << 20) + 10);
    direct.run(direct.b().remove(key));
}

BOOST_AUTO_TEST_CASE(part_numbers_outside_the_s3_range_are_refused) {
    harness h;
    BOOST_CHECK_THROW(h.run(h.b().upload_part("multipart/x", "id", 0, as_buffer({}))), kb::error);
    BOOST_CHECK_THROW(h.run(h.b().upload_part("multipart/x", "id", 10001, as_buffer({}))),
                      kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
