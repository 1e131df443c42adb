// Publishing manifest versions on the filesystem backend: read-latest,
// refusal to clobber, pruning, and the backup lock.
#include "format_support.hpp"

#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/fs/fs_backend.hpp>
#include <kb/storage/helpers.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb;
using namespace kb::storage;
using namespace kb::storage::format;
using kb::test::run;

namespace {

struct fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<backend> fs = make_fs_backend(io.get_executor(), dir.path);
    backup_layout layout{"b1", "pre"};

    manifest version(const std::string& tag) {
        manifest m;
        m.backup_id = "b1";
        m.tool_version = tag;
        m.created_at = m.updated_at = now_ms();
        return m;
    }
    std::string code_of(const std::function<void()>& f) {
        try {
            f();
        } catch (const kb::error& e) {
            last_message = e.what();
            return e.code();
        }
        return "(none)";
    }
    std::string last_message;
};

}  // namespace

// A store whose create-only put loses a race: a rival's lock lands between the
// reader's "absent" and its create, as two runs starting together on GCS would.
class racing_backend : public kb::test::wrapping_backend {
  public:
    using wrapping_backend::wrapping_backend;
    std::string rival_lock;
    int create_only_puts = 0;
    awaitable<kb::storage::create_result> put_if_absent(std::string key,
                                                        runtime::shared_buffer body) override {
        ++create_only_puts;
        if (!rival_lock.empty()) {
            auto rival = runtime::shared_buffer::copy_of(rival_lock);
            co_await put(key, rival);
        }
        auto created = co_await backend::put_if_absent(std::move(key), std::move(body));
        co_return created;
    }
};

BOOST_FIXTURE_TEST_SUITE(manifest_store_fs, fixture)

BOOST_AUTO_TEST_CASE(readers_see_the_highest_published_version) {
    manifest_store writer(*fs, layout, "writer-a");
    BOOST_TEST(!run(io, writer.read_latest()));
    BOOST_TEST(run(io, writer.publish(version("v1"))) == 1u);
    BOOST_TEST(run(io, writer.publish(version("v2"))) == 2u);
    BOOST_TEST(run(io, writer.publish(version("v3"))) == 3u);
    manifest_store reader(*fs, layout);
    auto latest = run(io, reader.read_latest());
    BOOST_REQUIRE(latest);
    BOOST_TEST(latest->sequence == 3u);
    BOOST_TEST(latest->value.tool_version == "v3");
    BOOST_TEST(latest->value.writer_id == "writer-a");
    BOOST_TEST(latest->key == "pre/b1/manifests/manifest-00000000000000000003.json");
    BOOST_TEST(run(io, reader.read_version(1)).value.tool_version == "v1");
}

BOOST_AUTO_TEST_CASE(a_writer_that_missed_a_newer_version_refuses_to_publish) {
    manifest_store a(*fs, layout, "a"), b(*fs, layout, "b");
    run(io, a.publish(version("a1")));
    run(io, a.read_latest());
    run(io, b.read_latest());  // both have seen version 1
    BOOST_TEST(run(io, a.publish(version("a2"))) == 2u);
    BOOST_TEST(code_of([&] { run(io, b.publish(version("b2"))); }) == "ManifestConflict");
    BOOST_TEST(last_message.find("published manifest version 2") != std::string::npos,
               last_message);
    // Nothing of b's landed; a's version 2 is intact.
    auto latest = run(io, b.read_latest());
    BOOST_TEST(latest->value.tool_version == "a2");
    // Having read the newest, b may publish on top of it.
    BOOST_TEST(run(io, b.publish(version("b3"))) == 3u);
    // A fresh writer that read nothing refuses too.
    manifest_store c(*fs, layout, "c");
    BOOST_TEST(code_of([&] { run(io, c.publish(version("c"))); }) == "ManifestConflict");
}

BOOST_AUTO_TEST_CASE(publish_checks_the_manifest_before_writing) {
    manifest_store a(*fs, layout, "a");
    auto m = version("x");
    m.backup_id = "other";
    BOOST_CHECK_THROW(run(io, a.publish(m)), std::invalid_argument);
    auto bad = version("y");
    bad.topics.push_back({"t", 0, 1, {}, {}, {}});  // zero partitions
    BOOST_TEST(code_of([&] { run(io, a.publish(bad)); }) == "InvalidManifest");
    BOOST_TEST(run(io, a.list_versions()).empty());
}

BOOST_AUTO_TEST_CASE(prune_keeps_the_newest_versions) {
    manifest_store a(*fs, layout, "a");
    for (int i = 0; i < 6; ++i) run(io, a.publish(version(std::to_string(i))));
    BOOST_TEST(run(io, a.prune(2)) == 4u);
    BOOST_TEST(run(io, a.list_versions()) == (std::vector<std::uint64_t>{5, 6}));
    BOOST_TEST(run(io, a.prune(2)) == 0u);
    BOOST_TEST(run(io, a.publish(version("7"))) == 7u);
}

BOOST_AUTO_TEST_CASE(a_corrupt_version_is_reported_with_its_key) {
    run(io, fs->put(layout.manifest(1),
                    shared_buffer::copy_of(std::string("{\"format_version\": 1}"))));
    manifest_store a(*fs, layout);
    BOOST_TEST(code_of([&] { run(io, a.read_latest()); }) == "InvalidManifest");
    BOOST_TEST(
        last_message.find("manifest-00000000000000000001.json: manifest: backup_id: missing") !=
            std::string::npos,
        last_message);
}

// A lock object that vanished between HEAD and GET was released; any other not-found
// (S3's NoSuchBucket has the same class) is a failure, never "no lock".
BOOST_AUTO_TEST_CASE(only_a_missing_object_reads_as_no_lock) {
    lock_options quick{.ttl = std::chrono::seconds(60), .settle = std::chrono::milliseconds(0)};
    auto lock = run(io, backup_lock::acquire(*fs, layout, "host-a pid 1", quick));
    kb::test::wrapping_backend w(*fs);
    w.delay = []() -> awaitable<void> {
        throw kb::error(error_class::not_found, "NoSuchBucket", "bucket 'b' does not exist",
                        kb::reason::bucket_missing);
        co_return;
    };
    BOOST_TEST(code_of([&] { run(io, backup_lock::read(w, layout)); }) == "NoSuchBucket");
    w.delay = []() -> awaitable<void> {
        throw kb::error(error_class::not_found, "ENOENT", "gone", kb::reason::object_missing);
        co_return;
    };
    BOOST_TEST(!run(io, backup_lock::read(w, layout)));
    run(io, lock.release());
}

BOOST_AUTO_TEST_CASE(the_lock_keeps_a_second_writer_out_until_released_or_expired) {
    lock_options quick{.ttl = std::chrono::seconds(60), .settle = std::chrono::milliseconds(0)};
    auto lock = run(io, backup_lock::acquire(*fs, layout, "host-a pid 1", quick));
    BOOST_TEST(code_of([&] { run(io, backup_lock::acquire(*fs, layout, "host-b", quick)); }) ==
               "BackupLocked");
    BOOST_TEST(last_message.find("locked by 'host-a pid 1'") != std::string::npos, last_message);
    run(io, lock.renew());
    run(io, lock.release());
    BOOST_TEST(!run(io, backup_lock::read(*fs, layout)));
    auto b = run(io, backup_lock::acquire(*fs, layout, "host-b", quick));
    BOOST_TEST(run(io, backup_lock::read(*fs, layout))->owner == "host-b");
    // An old lease that lost its lock cannot renew or remove the new one.
    BOOST_TEST(code_of([&] { run(io, lock.renew()); }) == "LockLost");
    run(io, lock.release());
    BOOST_TEST(run(io, backup_lock::read(*fs, layout))->owner == "host-b");
    run(io, b.release());
    // An expired lease may be taken over.
    lock_options expired{.ttl = std::chrono::seconds(0), .settle = std::chrono::milliseconds(0)};
    run(io, backup_lock::acquire(*fs, layout, "crashed", expired));
    auto c = run(io, backup_lock::acquire(*fs, layout, "host-c", quick));
    BOOST_TEST(c.info().owner == "host-c");
}

BOOST_AUTO_TEST_CASE(a_free_lock_is_taken_with_a_create_only_put) {
    lock_options quick{.ttl = std::chrono::seconds(60), .settle = std::chrono::milliseconds(0)};
    racing_backend racing(*fs);
    auto mine = run(io, backup_lock::acquire(racing, layout, "host-a", quick));
    BOOST_TEST(racing.create_only_puts == 1);
    run(io, mine.release());
    // The rival's lock is what a create-only put meets: refused, and the rival keeps it.
    racing.rival_lock =
        R"({"owner":"host-rival","nonce":"r1","acquired_at":"2026-01-01T00:00:00.000Z",
                            "expires_at":"2999-01-01T00:00:00.000Z"})";
    BOOST_TEST(code_of([&] { run(io, backup_lock::acquire(racing, layout, "host-b", quick)); }) ==
               "BackupLocked");
    BOOST_TEST(last_message.find("host-rival") != std::string::npos, last_message);
    BOOST_TEST(run(io, backup_lock::read(*fs, layout))->owner == "host-rival");
}

// The settle pause only waits for a rival's write that a non-atomic create could
// have missed: after an atomic create (the filesystem's link) the lock is ours at once.
BOOST_AUTO_TEST_CASE(an_atomic_create_takes_the_lock_without_the_settle_pause) {
    lock_options slow{.ttl = std::chrono::seconds(60), .settle = std::chrono::milliseconds(600)};
    auto timed = [&](kb::storage::backend& b) {
        auto start = std::chrono::steady_clock::now();
        auto lock = run(io, backup_lock::acquire(b, layout, "host-a", slow));
        auto took = std::chrono::steady_clock::now() - start;
        run(io, lock.release());
        return std::chrono::duration_cast<std::chrono::milliseconds>(took);
    };
    auto atomic = run(io, fs->put_if_absent("probe.json", runtime::shared_buffer::copy_of("x")));
    BOOST_TEST(atomic.created);
    BOOST_TEST(atomic.atomic);
    BOOST_TEST(timed(*fs).count() < 300);
    kb::test::wrapping_backend head_then_put(*fs);  // the default: a head, then a put
    BOOST_TEST(timed(head_then_put).count() >= 600);
}

BOOST_AUTO_TEST_SUITE_END()
