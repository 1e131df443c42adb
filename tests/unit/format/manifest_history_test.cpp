// Manifest history: publish keeps the newest N versions and costs the same
// whatever the history (issue 13.2), recognises its own write whose reply was
// lost (issue 21.9), and a killed writer's temporary manifest is removed (21.11).
#include "format_support.hpp"

#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>

using namespace kb;
using namespace kb::storage;
using namespace kb::storage::format;
using kb::test::run;

namespace {

struct history_fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<backend> fs = make_fs_backend(io.get_executor(), dir.path);
    kb::test::wrapping_backend counted{*fs};
    backup_layout layout{"hist"};

    manifest version(int n) {
        manifest m;
        m.backup_id = "hist";
        m.tool_version = "v" + std::to_string(n);
        m.created_at = m.updated_at = now_ms();
        return m;
    }
    std::size_t files_in(const std::string& prefix) {
        auto it = std::filesystem::directory_iterator(dir.path / prefix);
        return static_cast<std::size_t>(std::distance(it, std::filesystem::directory_iterator{}));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(manifest_history, history_fixture)

BOOST_AUTO_TEST_CASE(a_thousand_publishes_keep_ten_versions_at_a_flat_cost) {
    manifest_store w(counted, layout, "w");
    BOOST_TEST(!run(io, w.read_latest()));
    std::vector<int> cost;
    for (int i = 1; i <= 1000; ++i) {
        const auto before = counted.calls;
        BOOST_TEST(run(io, w.publish(version(i))) == std::uint64_t(i));
        cost.push_back(counted.calls.total() - before.total());
        BOOST_TEST(counted.calls.lists == before.lists, "publish " << i << " listed versions");
    }
    auto kept = run(io, w.list_versions());
    BOOST_TEST(kept.size() == default_manifest_versions_kept);
    BOOST_TEST(kept.front() == 991u);
    BOOST_TEST(kept.back() == 1000u);
    BOOST_TEST(files_in("hist/manifests") == default_manifest_versions_kept);
    // The same calls for the 11th publish as for the 1000th: HEAD, PUT, HEAD,
    // ranged GET, DELETE; the first ten delete nothing.
    BOOST_TEST(cost[10] == 5);
    BOOST_TEST(cost[999] == cost[10]);
    BOOST_TEST(cost[0] == 4);
    manifest_store reader(*fs, layout);
    BOOST_TEST(run(io, reader.read_latest())->value.tool_version == "v1000");
}

BOOST_AUTO_TEST_CASE(prune_clears_history_left_by_older_writers) {
    manifest_store w(*fs, layout, "w");
    w.set_versions_kept(0);  // as writers before rolling pruning did
    for (int i = 1; i <= 30; ++i) run(io, w.publish(version(i)));
    manifest_store next(*fs, layout, "next");
    run(io, next.read_latest());
    BOOST_TEST(run(io, next.prune(next.versions_kept())) == 20u);
    BOOST_TEST(run(io, next.publish(version(31))) == 31u);
    BOOST_TEST(run(io, next.list_versions()).front() == 22u);
}

BOOST_AUTO_TEST_CASE(a_lost_put_reply_is_recognised_as_our_own_write) {
    manifest_store w(counted, layout, "writer-1");
    BOOST_TEST(!run(io, w.read_latest()));
    run(io, w.publish(version(1)));
    // The PUT of version 2 lands, but its reply never arrives.
    counted.after_put = [&](const std::string&) {
        counted.after_put = nullptr;
        throw kb::error(error_class::retryable, "RequestTimeout", "reply lost");
    };
    BOOST_CHECK_THROW(run(io, w.publish(version(2))), kb::error);
    BOOST_TEST(w.last_sequence() == 1u);
    // The next publish finds version 2 carrying its own writer id: no conflict.
    BOOST_TEST(run(io, w.publish(version(3))) == 3u);
    manifest_store reader(*fs, layout);
    auto latest = run(io, reader.read_latest());
    BOOST_TEST(latest->value.tool_version == "v3");
    BOOST_TEST(run(io, reader.read_version(2)).value.writer_id == "writer-1");
}

BOOST_AUTO_TEST_CASE(another_writers_version_in_the_way_is_still_refused) {
    manifest_store a(*fs, layout, "a"), b(*fs, layout, "b");
    BOOST_TEST(!run(io, a.read_latest()));
    BOOST_TEST(!run(io, b.read_latest()));
    run(io, a.publish(version(1)));
    BOOST_CHECK_EXCEPTION(run(io, b.publish(version(2))), kb::error, [](const kb::error& e) {
        return e.code() == "ManifestConflict" &&
               std::string(e.what()).find("published manifest version 1") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(a_put_replaced_by_another_writer_is_detected_on_read_back) {
    manifest_store a(counted, layout, "a");
    BOOST_TEST(!run(io, a.read_latest()));
    // Writer b's PUT of the same sequence lands just after a's.
    counted.after_put = [&](const std::string& key) {
        counted.after_put = nullptr;
        auto theirs = version(99);
        theirs.sequence = 1;
        theirs.writer_id = "b";
        std::ofstream(dir.path / key) << serialize_manifest(theirs);
    };
    BOOST_CHECK_EXCEPTION(run(io, a.publish(version(1))), kb::error, [](const kb::error& e) {
        return e.code() == "ManifestConflict" &&
               std::string(e.what()).find("writer 'b'") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(a_temporary_manifest_left_by_a_killed_writer_is_removed) {
    manifest_store w(*fs, layout, "w");
    BOOST_TEST(!run(io, w.read_latest()));
    run(io, w.publish(version(1)));
    // What a writer killed between writing its temp file and renaming it leaves.
    auto temp = dir.path / "hist/manifests/.kb-tmp-0123456789abcdef";
    std::ofstream(temp) << serialize_manifest(version(2));
    BOOST_REQUIRE(std::filesystem::exists(temp));
    BOOST_TEST(run(io, w.remove_stale_temporaries()) == 1u);
    BOOST_TEST(!std::filesystem::exists(temp));
    BOOST_TEST(run(io, w.list_versions()) == (std::vector<std::uint64_t>{1}));
}

BOOST_AUTO_TEST_SUITE_END()
