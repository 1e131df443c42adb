// Interop with awscli against the real MinIO: what we write, aws reads back
// byte-exact; what aws writes, we read (whole and by range); listings of more
// than 1,000 keys paginate; batch deletes remove everything.
#include "s3_env.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/s3/digest.hpp>

#include <fmt/format.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

using namespace kb::s3test;
using boost::asio::awaitable;
using kb::storage::byte_range;
using kb::storage::list_page;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

std::string s3_url(const std::string& key) {
    return fmt::format("s3://{}/{}/{}", env().bucket, run_prefix(), key);
}

bool same(const kb::runtime::shared_buffer& a, const std::vector<std::byte>& b) {
    return a.size() == b.size() && std::equal(b.begin(), b.end(), a.data());
}

// Puts keys[i] for i = first, first + stride, ... (several of these run side by side).
awaitable<void> put_every(kb::storage::backend& b, const std::vector<std::string>& keys,
                          std::size_t first, std::size_t stride) {
    for (auto i = first; i < keys.size(); i += stride)
        co_await b.put(keys[i], kb::runtime::shared_buffer::copy_of(std::string_view(keys[i])));
}

awaitable<void> put_all(kb::storage::backend& b, const std::vector<std::string>& keys) {
    co_await (put_every(b, keys, 0, 4) && put_every(b, keys, 1, 4) && put_every(b, keys, 2, 4) &&
              put_every(b, keys, 3, 4));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_interop)

BOOST_AUTO_TEST_CASE(objects_we_put_are_read_byte_exact_by_aws) {
    harness h;
    auto data = random_bytes(3 * 1024 * 1024 + 17, 1);
    const std::string key = "interop/ours to aws/é+1.bin";  // spaces, '+', UTF-8 need encoding
    h.run(h.b().put(key, as_buffer(data)));
    auto file = temp_path("ours-to-aws");
    aws(fmt::format("s3 cp '{}' '{}' --only-show-errors", s3_url(key), file));
    BOOST_TEST((read_file(file) == data));
    std::remove(file.c_str());

    auto info = h.run(h.b().head(key));
    BOOST_REQUIRE(info.has_value());
    BOOST_TEST(info->size == data.size());
    // A single PUT's ETag is the MD5 of the body: aws sees the same object we sent.
    auto listing =
        aws(fmt::format("s3api head-object --bucket {} --key '{}/{}' --query ETag --output text",
                        env().bucket, run_prefix(), key));
    BOOST_TEST(listing.find(info->etag) != std::string::npos, listing << " vs " << info->etag);
}

BOOST_AUTO_TEST_CASE(empty_object_round_trip) {
    harness h;
    h.run(h.b().put("interop/empty", kb::runtime::shared_buffer{}));
    BOOST_TEST(h.run(h.b().get("interop/empty", std::nullopt)).size() == 0u);
    auto info = h.run(h.b().head("interop/empty"));
    BOOST_REQUIRE(info.has_value());
    BOOST_TEST(info->size == 0u);
}

BOOST_AUTO_TEST_CASE(objects_aws_wrote_are_read_by_us_whole_and_by_range) {
    harness h;
    auto data = random_bytes(13 * 1024 * 1024 + 5, 2);  // above awscli's 8 MiB multipart threshold
    auto file = temp_path("aws-to-ours");
    write_file(file, data);
    aws(fmt::format("s3 cp '{}' '{}' --only-show-errors", file, s3_url("interop/from-aws.bin")));
    std::remove(file.c_str());

    auto whole = h.run(h.b().get("interop/from-aws.bin", std::nullopt));
    BOOST_TEST(same(whole, data));
    for (auto r : {byte_range{0, 1}, byte_range{8 * 1024 * 1024 - 3, 7}, byte_range{12345, 4 << 20},
                   byte_range{data.size() - 10, 10}}) {
        auto part = h.run(h.b().get("interop/from-aws.bin", r));
        std::vector<std::byte> expected(
            data.begin() + static_cast<std::ptrdiff_t>(r.offset),
            data.begin() + static_cast<std::ptrdiff_t>(r.offset + r.length));
        BOOST_TEST(same(part, expected), "range " << r.offset << "+" << r.length);
    }
    auto info = h.run(h.b().head("interop/from-aws.bin"));
    BOOST_REQUIRE(info.has_value());
    BOOST_TEST(info->size == data.size());
    BOOST_TEST(info->etag.ends_with("-2"));  // awscli uploaded it in two parts
}

BOOST_AUTO_TEST_CASE(missing_objects) {
    harness h;
    BOOST_TEST(!h.run(h.b().head("interop/never-written")).has_value());
    BOOST_CHECK_EXCEPTION(
        h.run(h.b().get("interop/never-written", std::nullopt)), kb::error, [](const kb::error& e) {
            return e.cls() == kb::error_class::not_found && e.code() == "NoSuchKey";
        });
    BOOST_CHECK_NO_THROW(h.run(h.b().remove("interop/never-written")));
}

BOOST_AUTO_TEST_CASE(listing_more_than_1000_keys_paginates_and_batch_delete_clears_it) {
    harness h;
    std::vector<std::string> keys;
    for (int i = 0; i < 1050; ++i) keys.push_back(fmt::format("many/k{:05}", i));
    h.run(put_all(h.b(), keys));

    auto first = h.run(h.b().list("many/", std::nullopt, 1000));
    BOOST_TEST(first.objects.size() == 1000u);
    BOOST_REQUIRE(first.next_token.has_value());
    auto second = h.run(h.b().list("many/", first.next_token, 1000));
    BOOST_TEST(second.objects.size() == 50u);
    BOOST_TEST(!second.next_token.has_value());
    std::vector<std::string> listed;
    for (const auto* page : {&first, &second})
        for (const auto& o : page->objects) listed.push_back(o.key);
    BOOST_TEST(listed == keys);  // relative to the root prefix, in lexical order
    BOOST_TEST(first.objects[3].size == keys[3].size());

    auto count = aws(fmt::format("s3 ls '{}' --recursive", s3_url("many/")));
    BOOST_TEST(std::count(count.begin(), count.end(), '\n') == 1050);

    h.run(h.b().remove_many(keys));
    BOOST_TEST(h.run(h.b().list("many/", std::nullopt, 1000)).objects.empty());
    std::string left;
    aws_status(fmt::format("s3 ls '{}' --recursive", s3_url("many/")),
               &left);  // exits 1 when empty
    BOOST_TEST(left.empty(), left);
}

BOOST_AUTO_TEST_CASE(listing_keys_that_need_encoding) {
    harness h;
    std::vector<std::string> keys{"odd/a b", "odd/a+b", "odd/a%b", "odd/é", "odd/x&y<z>"};
    for (const auto& k : keys)
        h.run(h.b().put(k, kb::runtime::shared_buffer::copy_of(std::string_view(k))));
    auto page = h.run(h.b().list("odd/", std::nullopt, 1000));
    std::set<std::string> listed;
    for (const auto& o : page.objects) listed.insert(o.key);
    BOOST_TEST(listed == std::set<std::string>(keys.begin(), keys.end()));
    for (const auto& k : keys) BOOST_TEST(h.run(h.b().get(k, std::nullopt)).as_string_view() == k);
    h.run(h.b().remove_many(keys));
}

BOOST_AUTO_TEST_SUITE_END()
