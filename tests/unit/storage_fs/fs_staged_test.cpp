// Staged objects on the filesystem (fs_staged.cpp): bytes go to a hidden temp file
// as they are written and appear under their key only on commit, whole. A reader
// (head, get, list, or a plain directory walk for the key's file) never sees a
// partial object, and a staged object dropped without commit leaves nothing.
#include "test_support.hpp"

#include <kb/storage/fs/fs_backend.hpp>
#include <kb/storage/staged_object.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using kb::test::run;
using kb::test::text;

namespace {

struct fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<kb::storage::backend> b =
        kb::storage::make_fs_backend(io.get_executor(), dir.path);

    // Names of the files in the object's directory (hidden ones included).
    std::vector<std::string> files_in(const std::string& sub) {
        std::vector<std::string> names;
        std::error_code ec;
        for (auto& e : fs::directory_iterator(dir.path / sub, ec))
            if (e.is_regular_file()) names.push_back(e.path().filename().string());
        return names;
    }
    bool visible(const std::string& key) { return run(io, b->head(key)).has_value(); }
    std::size_t listed(const std::string& prefix) {
        return run(io, b->list(prefix)).objects.size();
    }
    void write(kb::storage::staged_object& s, std::string bytes) {
        run(io, s.write(text(std::move(bytes))));
    }
    std::string read(const std::string& key) {
        auto got = run(io, b->get(key));
        return {reinterpret_cast<const char*>(got.bytes().data()), got.size()};
    }
};

// Sizes that cross the disk writer's 2 MiB block buffer and end inside a 4 KiB block.
std::vector<std::string> chunks() {
    return {std::string(3 * 1024 * 1024 + 17, 'a'), std::string(5000, 'b'), std::string(1, 'c')};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(fs_staged, fixture)

BOOST_AUTO_TEST_CASE(nothing_is_visible_until_commit_then_the_whole_object_is) {
    auto staged = b->stage_object("segs");
    std::string all;
    for (auto& c : chunks()) {
        write(*staged, c);
        all += c;
        BOOST_TEST(!visible("segs/final.seg"));
        BOOST_TEST(listed("segs/") == 0u);
        BOOST_TEST(!fs::exists(dir.path / "segs" / "final.seg"));
        auto names = files_in("segs");
        BOOST_REQUIRE(names.size() == 1u);  // the temp file, hidden from listings
        BOOST_TEST(names[0].starts_with(".kb-"));
    }
    run(io, staged->commit("segs/final.seg"));
    BOOST_TEST(read("segs/final.seg") == all);
    BOOST_TEST(listed("segs/") == 1u);
    BOOST_TEST(files_in("segs") == std::vector<std::string>{"final.seg"});  // no temp left
}

BOOST_AUTO_TEST_CASE(commit_replaces_an_existing_object_in_one_step) {
    run(io, b->put("segs/x.seg", text("old")));
    auto staged = b->stage_object("segs/");
    write(*staged, std::string(100'000, 'n'));
    BOOST_TEST(read("segs/x.seg") == "old");  // the old object, whole, until the commit
    run(io, staged->commit("segs/x.seg"));
    BOOST_TEST(read("segs/x.seg") == std::string(100'000, 'n'));
}

BOOST_AUTO_TEST_CASE(a_staged_object_dropped_without_commit_leaves_nothing) {
    {
        auto staged = b->stage_object("segs");
        write(*staged, std::string(70'000, 'z'));
        BOOST_TEST(files_in("segs").size() == 1u);
    }
    BOOST_TEST(files_in("segs").empty());
    BOOST_TEST(listed("segs/") == 0u);
}

BOOST_AUTO_TEST_CASE(an_empty_staged_object_commits_as_an_empty_object) {
    auto staged = b->stage_object("segs");
    run(io, staged->commit("segs/empty.seg"));
    BOOST_TEST(visible("segs/empty.seg"));
    BOOST_TEST(read("segs/empty.seg").empty());
}

BOOST_AUTO_TEST_CASE(a_commit_into_another_directory_is_refused_and_shows_nothing) {
    auto staged = b->stage_object("segs");
    write(*staged, "bytes");
    BOOST_CHECK_THROW(run(io, staged->commit("other/x.seg")), std::invalid_argument);
    BOOST_TEST(!visible("other/x.seg"));
    BOOST_TEST(listed("") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
