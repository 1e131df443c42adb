// The filesystem backend's object operations, against a real directory.
#include "test_support.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <fmt/format.h>
#include <boost/test/unit_test.hpp>

#include <fstream>

#include <unistd.h>

using namespace kb;
using namespace kb::storage;
using kb::test::run;
using kb::test::text;

namespace {

struct fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<backend> b = make_fs_backend(io.get_executor(), dir.path / "root");

    void put(std::string key, std::string body) { run(io, b->put(key, text(body))); }
    std::string get(std::string key, std::optional<byte_range> r = {}) {
        return std::string(run(io, b->get(key, r)).as_string_view());
    }
    std::vector<std::string> keys(std::string prefix, int max_keys = 1000) {
        std::vector<std::string> out;
        std::optional<std::string> token;
        do {
            auto page = run(io, b->list(prefix, token, max_keys));
            BOOST_TEST(static_cast<int>(page.objects.size()) <= max_keys);
            for (auto& o : page.objects) out.push_back(o.key);
            token = page.next_token;
        } while (token);
        return out;
    }
};

error_class class_of(const std::function<void()>& f) {
    try {
        f();
    } catch (...) {
        return classify(std::current_exception());
    }
    BOOST_FAIL("expected an exception");
    return error_class::fatal;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(fs_backend, fixture)

BOOST_AUTO_TEST_CASE(put_then_get_returns_the_same_bytes) {
    std::string body(3 * 1024 * 1024 + 17, '\0');  // crosses the 1 MiB I/O chunks
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 31 + 7);
    put("a/b/c.bin", body);
    BOOST_TEST(get("a/b/c.bin") == body);
    BOOST_TEST(std::filesystem::file_size(dir.path / "root/a/b/c.bin") == body.size());
}

BOOST_AUTO_TEST_CASE(put_replaces_an_existing_object) {
    put("k", "first version");
    put("k", "second");
    BOOST_TEST(get("k") == "second");
}

BOOST_AUTO_TEST_CASE(ranged_get_returns_the_slice_and_clips_at_the_end) {
    put("r", "0123456789");
    BOOST_TEST(get("r", byte_range{2, 3}) == "234");
    BOOST_TEST(get("r", byte_range{7, 100}) == "789");
    BOOST_TEST(get("r", byte_range{10, 0}) == "");
    auto e = class_of([&] { get("r", byte_range{11, 1}); });
    BOOST_TEST(e == error_class::fatal);
}

BOOST_AUTO_TEST_CASE(head_reports_size_or_nothing) {
    put("dir/obj", "hello");
    auto info = run(io, b->head("dir/obj"));
    BOOST_REQUIRE(info);
    BOOST_TEST(info->size == 5u);
    BOOST_TEST(info->key == "dir/obj");
    BOOST_TEST(!info->etag.empty());
    BOOST_TEST(!run(io, b->head("dir/missing")));
    BOOST_TEST(!run(io, b->head("dir")));  // a directory is not an object
}

BOOST_AUTO_TEST_CASE(missing_objects_are_not_found) {
    BOOST_TEST(class_of([&] { get("nope"); }) == error_class::not_found);
    BOOST_TEST(class_of([&] { get("no/such/dir/key"); }) == error_class::not_found);
    try {
        get("nope/x");
    } catch (const kb::error& e) {
        BOOST_TEST(std::string(e.what()).find("nope/x") != std::string::npos);
        BOOST_TEST(e.code() == "ENOENT");
    }
}

// The same reason as S3's NoSuchKey, so callers take one path for both backends.
BOOST_AUTO_TEST_CASE(a_missing_object_has_the_reason_object_missing) {
    for (std::string key : {"nope", "no/such/dir/key"}) {
        try {
            get(key);
            BOOST_FAIL("expected an exception");
        } catch (const kb::error& e) {
            BOOST_TEST((e.why() == kb::reason::object_missing), key);
        }
    }
}

BOOST_AUTO_TEST_CASE(list_is_lexical_across_directories) {
    // '-' (0x2d) sorts before '/' (0x2f): "a-b" comes before "a/x" although the
    // directory "a" sorts before the file "a-b".
    for (auto k : {"a/x", "a-b", "a/y/z", "b", "a0", "ab"}) put(k, k);
    std::vector<std::string> expect{"a-b", "a/x", "a/y/z", "a0", "ab", "b"};
    BOOST_TEST(keys("") == expect, boost::test_tools::per_element());
    std::vector<std::string> under_a{"a/x", "a/y/z"};
    BOOST_TEST(keys("a/") == under_a, boost::test_tools::per_element());
    std::vector<std::string> starting_a{"a-b", "a/x", "a/y/z", "a0", "ab"};
    BOOST_TEST(keys("a") == starting_a, boost::test_tools::per_element());
    BOOST_TEST(keys("zzz").empty());
}

BOOST_AUTO_TEST_CASE(list_paginates_with_the_last_key_as_token) {
    std::vector<std::string> expect;
    for (int i = 0; i < 23; ++i) {
        auto k = fmt::format("p/{:03}", i);
        put(k, "x");
        expect.push_back(k);
    }
    auto first = run(io, b->list("p/", std::nullopt, 10));
    BOOST_TEST(first.objects.size() == 10u);
    BOOST_REQUIRE(first.next_token);
    BOOST_TEST(*first.next_token == "p/009");
    BOOST_TEST(keys("p/", 10) == expect, boost::test_tools::per_element());
    BOOST_TEST(keys("p/", 23) == expect, boost::test_tools::per_element());
    auto last = run(io, b->list("p/", std::string("p/019"), 10));
    BOOST_TEST(last.objects.size() == 3u);
    BOOST_TEST(!last.next_token);
}

BOOST_AUTO_TEST_CASE(remove_and_remove_many) {
    for (auto k : {"x/1", "x/2", "x/3", "x/4"}) put(k, k);
    run(io, b->remove("x/1"));
    run(io, b->remove("x/1"));  // missing is fine, as in S3
    run(io, b->remove_many({"x/2", "x/3", "x/none"}));
    std::vector<std::string> left{"x/4"};
    BOOST_TEST(keys("x/") == left, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(temp_files_never_show_in_listings) {
    // A crashed writer leaves a hidden temp file; it must not look like an object.
    put("t/real", "data");
    std::ofstream(dir.path / "root/t/.kb-tmp-deadbeef") << "partial";
    std::vector<std::string> only{"t/real"};
    BOOST_TEST(keys("") == only, boost::test_tools::per_element());
    // And a finished put leaves nothing else behind in the directory.
    put("t/other", "x");
    int files = 0;
    for (auto& e : std::filesystem::directory_iterator(dir.path / "root/t"))
        files += e.path().filename().string().starts_with(".kb-tmp") ? 0 : 1;
    BOOST_TEST(files == 2);
}

BOOST_AUTO_TEST_CASE(keys_that_escape_or_use_reserved_names_are_refused) {
    for (std::string k : {"../evil", "a/../../b", "/abs", "a//b", ".kb-multipart/x", "a/.", ""}) {
        BOOST_TEST_CONTEXT("key '" << k << "'") {
            BOOST_TEST(class_of([&] { put(k, "x"); }) == error_class::fatal);
        }
    }
    BOOST_TEST(!std::filesystem::exists(dir.path / "evil"));
}

// Root ignores permission bits, so the case only runs as an ordinary user.
BOOST_AUTO_TEST_CASE(unwritable_root_is_an_auth_error,
                     *boost::unit_test::precondition([](auto) { return ::geteuid() != 0; })) {
    std::filesystem::create_directories(dir.path / "ro");
    std::filesystem::permissions(
        dir.path / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    auto ro = make_fs_backend(io.get_executor(), dir.path / "ro");
    BOOST_TEST(class_of([&] { run(io, ro->put("k", text("x"))); }) == error_class::auth);
}

BOOST_AUTO_TEST_SUITE_END()
