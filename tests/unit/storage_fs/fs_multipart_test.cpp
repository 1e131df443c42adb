// Multipart uploads on the filesystem backend: staged parts, atomic completion, abort.
#include "test_support.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb;
using namespace kb::storage;
using kb::test::run;

namespace {

constexpr std::size_t mib = 1024 * 1024;

std::string pattern(std::size_t n, char seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i % 251);
    return s;
}

struct fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<backend> b = make_fs_backend(io.get_executor(), dir.path);

    completed_part upload(const std::string& key, const std::string& id, int n,
                          const std::string& body) {
        return run(io, b->upload_part(key, id, n, shared_buffer::copy_of(body)));
    }
    std::size_t visible_objects() {
        return run(io, b->list("", std::nullopt, 1000)).objects.size();
    }
    std::string fail_code(const std::function<void()>& f) {
        try {
            f();
        } catch (const kb::error& e) {
            return e.code();
        }
        return "(no error)";
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(fs_multipart, fixture)

BOOST_AUTO_TEST_CASE(complete_concatenates_parts_in_order) {
    auto p1 = pattern(5 * mib, 'a'), p2 = pattern(5 * mib + 3, 'k'), p3 = pattern(1234, 'z');
    auto id = run(io, b->create_multipart("big/object"));
    // Parts may arrive in any order.
    auto c3 = upload("big/object", id, 3, p3);
    auto c1 = upload("big/object", id, 1, p1);
    auto c2 = upload("big/object", id, 2, p2);
    BOOST_TEST(visible_objects() == 0u);  // nothing visible before completion
    run(io, b->complete_multipart("big/object", id, {c1, c2, c3}));
    auto got = run(io, b->get("big/object"));
    BOOST_TEST((got.as_string_view() == p1 + p2 + p3));
    BOOST_TEST(visible_objects() == 1u);
    BOOST_TEST(!std::filesystem::exists(dir.path / ".kb-multipart" / id));
}

BOOST_AUTO_TEST_CASE(abort_removes_the_staging_and_leaves_no_object) {
    auto id = run(io, b->create_multipart("gone"));
    upload("gone", id, 1, pattern(5 * mib, 'q'));
    BOOST_TEST(std::filesystem::exists(dir.path / ".kb-multipart" / id));
    run(io, b->abort_multipart("gone", id));
    BOOST_TEST(!std::filesystem::exists(dir.path / ".kb-multipart" / id));
    BOOST_TEST(!run(io, b->head("gone")));
    BOOST_TEST(visible_objects() == 0u);
    // The upload is gone for good, as in S3.
    BOOST_TEST(fail_code([&] { upload("gone", id, 2, "x"); }) == "NoSuchUpload");
}

BOOST_AUTO_TEST_CASE(completion_checks_parts_like_s3) {
    auto id = run(io, b->create_multipart("k"));
    auto small = upload("k", id, 1, "tiny");
    auto last = upload("k", id, 2, "end");
    BOOST_TEST(fail_code([&] {
                   run(io, b->complete_multipart("k", id, {small, last}));
               }) == "EntityTooSmall");
    BOOST_TEST(fail_code([&] {
                   run(io, b->complete_multipart("k", id, {last, small}));
               }) == "InvalidPartOrder");
    auto wrong = last;
    wrong.etag = "crc32c:00000000";
    BOOST_TEST(fail_code([&] { run(io, b->complete_multipart("k", id, {wrong})); }) ==
               "InvalidPart");
    BOOST_TEST(fail_code([&] {
                   run(io, b->complete_multipart("k", id, {{7, "x"}}));
               }) == "InvalidPart");
    BOOST_TEST(!run(io, b->head("k")));  // no failed completion left an object
    // A single short part is a valid object.
    run(io, b->complete_multipart("k", id, {small}));
    BOOST_TEST(run(io, b->get("k")).as_string_view() == "tiny");
}

BOOST_AUTO_TEST_CASE(upload_ids_are_bound_to_their_key) {
    auto id = run(io, b->create_multipart("one"));
    BOOST_TEST(fail_code([&] { upload("two", id, 1, "x"); }) == "NoSuchUpload");
    BOOST_TEST(fail_code([&] { upload("one", "../../etc", 1, "x"); }) == "NoSuchUpload");
    try {
        run(io, b->abort_multipart("one", "0123abcd"));
        BOOST_FAIL("abort of an unknown upload should fail");
    } catch (const kb::error& e) {
        BOOST_TEST(e.cls() == error_class::not_found);
        BOOST_TEST((e.why() == kb::reason::upload_missing));  // as S3's NoSuchUpload
    }
}

BOOST_AUTO_TEST_CASE(uploads_in_progress_are_listed_by_prefix_until_finished) {
    BOOST_TEST(run(io, b->list_multipart_uploads("")).empty());  // no staging dir yet
    auto a = run(io, b->create_multipart("bk/segments/t/0/a.seg"));
    auto c = run(io, b->create_multipart("bk/segments/t/1/c.seg"));
    auto other = run(io, b->create_multipart("elsewhere/x.seg"));
    upload("bk/segments/t/0/a.seg", a, 1, "part one");
    auto done = run(io, b->create_multipart("bk/segments/t/0/b.seg"));
    auto part = upload("bk/segments/t/0/b.seg", done, 1, "whole");
    run(io, b->complete_multipart("bk/segments/t/0/b.seg", done, {part}));

    auto listed = run(io, b->list_multipart_uploads("bk/segments/"));
    BOOST_REQUIRE(listed.size() == 2u);  // completed and other-prefix uploads are not listed
    BOOST_TEST(listed[0].key == "bk/segments/t/0/a.seg");
    BOOST_TEST(listed[0].upload_id == a);
    BOOST_TEST(listed[1].key == "bk/segments/t/1/c.seg");
    BOOST_TEST(listed[1].upload_id == c);
    auto age = std::chrono::system_clock::now() - listed[0].initiated;
    BOOST_TEST(std::chrono::abs(age) < std::chrono::minutes(1));
    BOOST_TEST(run(io, b->list_multipart_uploads("")).size() == 3u);

    for (auto& u : listed) run(io, b->abort_multipart(u.key, u.upload_id));
    BOOST_TEST(run(io, b->list_multipart_uploads("bk/")).empty());
    BOOST_TEST(run(io, b->list_multipart_uploads("elsewhere/")).front().upload_id == other);
    BOOST_TEST(fail_code([&] { run(io, b->list_multipart_uploads("../up")); }) == "InvalidKey");
}

BOOST_AUTO_TEST_SUITE_END()
