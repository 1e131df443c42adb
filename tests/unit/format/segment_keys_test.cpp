// A manifest's segment keys must stay inside its own backup: a tampered manifest
// naming another backup's segment, or a path with "..", is refused when read (so
// restore, validate, describe, prune and the offset reports never follow it) and
// never published.
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

struct keys_fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<backend> fs = make_fs_backend(io.get_executor(), dir.path);
    backup_layout layout{"b1"};

    // A valid manifest of backup b1 with one segment under `key`.
    manifest with_segment(const std::string& key) {
        manifest m;
        m.backup_id = "b1";
        m.sequence = 1;
        m.writer_id = "w";
        m.created_at = m.updated_at = now_ms();
        segment_ref s;
        s.key = key;
        s.first_offset = 0;
        s.last_offset = 9;
        s.record_count = 10;
        s.checksum = "crc32c:00000000";
        partition_manifest p;
        p.partition = 0;
        p.segments.push_back(s);
        m.topics.push_back({"orders", 1, 1, {}, {p}, {}});
        return m;
    }
    // Writes the manifest as version 1 directly, as someone editing the store would.
    void plant(const manifest& m) {
        run(io, fs->put(layout.manifest(1), shared_buffer::copy_of(serialize_manifest(m))));
    }
    std::string refusal_of(const std::function<void()>& f) {
        try {
            f();
        } catch (const kb::error& e) {
            return e.code() + ": " + e.what();
        }
        return "(none)";
    }
};

const std::string own = "b1/segments/orders/0/00000000000000000000-00000000000000000009.seg";

}  // namespace

BOOST_AUTO_TEST_SUITE(segment_keys)

BOOST_AUTO_TEST_CASE(a_layout_owns_only_its_own_topic_segments) {
    backup_layout l("b1", "pre");
    BOOST_TEST(l.owns_segment("orders", "pre/b1/segments/orders/0/a.seg"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b2/segments/orders/0/a.seg"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b1/segments/payments/0/a.seg"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b1/segments/orders/../../../b2/x.seg"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b1/segments/orders/0/./a.seg"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b1/segments/orders//a.seg"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b1/segments/orders/0/"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b1/segments/orders/"));
    BOOST_TEST(!l.owns_segment("orders", "pre/b1/segments/orders/0\\..\\a.seg"));
    BOOST_TEST(!l.owns_segment("../x", "pre/b1/segments/../x/0/a.seg"));
}

BOOST_FIXTURE_TEST_CASE(a_manifest_pointing_into_another_backup_is_refused, keys_fixture) {
    plant(with_segment(own));
    manifest_store store(*fs, layout);
    BOOST_TEST(run(io, store.read_latest())->value.topics.size() == 1u);  // the honest one reads

    plant(with_segment("b2/segments/orders/0/00000000000000000000-00000000000000000009.seg"));
    auto why = refusal_of([&] { run(io, store.read_latest()); });
    BOOST_TEST(why.find("InvalidManifest") == 0u, why);
    BOOST_TEST(why.find("lies outside backup 'b1'") != std::string::npos, why);
    BOOST_TEST(why.find("b2/segments/orders") != std::string::npos, why);  // names the key
}

BOOST_FIXTURE_TEST_CASE(a_manifest_key_with_dot_dot_is_refused, keys_fixture) {
    plant(with_segment("b1/segments/orders/0/../../../../b2/segments/orders/0/x.seg"));
    manifest_store store(*fs, layout);
    auto why = refusal_of([&] { run(io, store.read_version(1)); });
    BOOST_TEST(why.find("lies outside backup 'b1'") != std::string::npos, why);
}

BOOST_FIXTURE_TEST_CASE(a_manifest_with_a_foreign_key_is_never_published, keys_fixture) {
    manifest_store store(*fs, layout, "w");
    auto m = with_segment("elsewhere/orders/0/x.seg");
    auto why = refusal_of([&] { run(io, store.publish(m)); });
    BOOST_TEST(why.find("InvalidManifest") == 0u, why);
    BOOST_TEST(run(io, store.list_versions()).empty());
}

BOOST_FIXTURE_TEST_CASE(an_oso_manifest_is_held_to_its_backup_id_too, keys_fixture) {
    auto m = with_segment("oso-1/topics/orders/partition=0/segment-0001.bin.zst");
    BOOST_CHECK_NO_THROW(check_oso_segment_keys(m, "oso-1"));
    for (const char* key : {"oso-2/topics/orders/partition=0/segment-0001.bin.zst",
                            "oso-1/topics/../../oso-2/topics/orders/x.bin", "oso-1//x.bin"}) {
        m.topics[0].partitions[0].segments[0].key = key;
        auto why = refusal_of([&] { check_oso_segment_keys(m, "oso-1"); });
        BOOST_TEST(why.find("lies outside backup 'oso-1'") != std::string::npos, key);
    }
}

BOOST_AUTO_TEST_SUITE_END()
