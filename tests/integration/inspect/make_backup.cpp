// make_backup: writes a backup in the real format from a live cluster, for the
// inspection tests (so they do not depend on `kafka-backup backup`). It fetches
// every partition from its earliest offset to its high watermark, writes
// segments of about --records-per-segment records with segment_writer, snapshots
// the named consumer groups and publishes the manifest with manifest_store.
//
//   make_backup BOOTSTRAP PATH_URL BACKUP_ID TOPICS(comma) GROUPS(comma or -) [RECORDS_PER_SEGMENT]
#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/fetch.hpp>
#include <kb/kafka/client/groups.hpp>
#include <kb/kafka/client/offsets.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/run_blocking.hpp>
#include <kb/storage/checksum.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/format/segment_writer.hpp>
#include <kb/storage/open.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace kc = kb::kafka::client;
namespace kp = kb::kafka::protocol;
namespace sf = kb::storage::format;
using boost::asio::awaitable;

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty() && item != "-") out.push_back(item);
    return out;
}

struct job {
    std::string backup_id;
    std::vector<std::string> topics, groups;
    std::uint64_t per_segment = 1000;
};

// Writes one finished segment and returns its manifest entry.
awaitable<sf::segment_ref> store_segment(kb::storage::backend& b, const sf::backup_layout& layout,
                                         const std::string& topic, std::int32_t p,
                                         sf::segment_writer w,
                                         std::vector<kb::runtime::shared_buffer> chunks) {
    for (auto& c : w.finish()) chunks.push_back(std::move(c));
    const auto& s = w.summary();
    std::vector<std::byte> all;
    for (const auto& c : chunks) all.insert(all.end(), c.bytes().begin(), c.bytes().end());
    auto key = layout.segment(topic, p, s.first_offset);
    co_await b.put(key, kb::runtime::shared_buffer::adopt(std::move(all)));
    sf::segment_ref ref;
    ref.key = key;
    ref.first_offset = s.first_offset;
    ref.last_offset = s.last_offset;
    ref.min_timestamp = s.min_timestamp;
    ref.max_timestamp = s.max_timestamp;
    ref.record_count = s.record_count;
    ref.raw_bytes = s.raw_bytes;
    ref.stored_bytes = s.stored_bytes;
    ref.checksum = kb::storage::format_crc32c(s.crc32c);
    co_return ref;
}

sf::batch_meta meta_of(const kp::batch_header& h) {
    return {h.base_offset, h.last_offset(), h.base_timestamp, h.max_timestamp,
            static_cast<std::uint32_t>(h.record_count)};
}

awaitable<sf::partition_manifest> backup_partition(kc::cluster& c, kb::storage::backend& b,
                                                   const sf::backup_layout& layout,
                                                   std::string topic, std::int32_t p,
                                                   std::uint64_t per_segment) {
    std::vector<kc::offset_query> lo_q{{topic, p, kc::offset_spec::earliest()}};
    std::vector<kc::offset_query> hi_q{{topic, p, kc::offset_spec::latest()}};
    auto lo = (co_await kc::list_offsets(c, lo_q)).front().offset;
    auto hi = (co_await kc::list_offsets(c, hi_q)).front().offset;
    sf::partition_manifest pm;
    pm.partition = p;
    pm.log_start_offset = lo;
    pm.end_offset = hi;
    std::optional<sf::segment_writer> w;
    std::vector<kb::runtime::shared_buffer> chunks;
    std::int64_t next = lo;
    std::uint64_t in_segment = 0;
    while (next < hi) {
        kc::fetch_partition fp;
        fp.topic = topic;
        fp.partition = p;
        fp.offset = next;
        auto f = co_await kc::fetch_one(c, fp);
        for (const auto& batch : kp::split_batches(f.records)) {
            if (batch.header.last_offset() < next) continue;
            if (!w) w.emplace(sf::segment_writer_options{.topic = topic, .partition = p});
            for (auto& out : w->add(batch.bytes, meta_of(batch.header)))
                chunks.push_back(std::move(out));
            next = batch.next_offset();
            // Roll by record count (whole batches, so approximately).
            in_segment += static_cast<std::uint64_t>(batch.header.record_count);
            if (per_segment > 0 && in_segment >= per_segment) {
                in_segment = 0;
                pm.segments.push_back(
                    co_await store_segment(b, layout, topic, p, std::move(*w), std::move(chunks)));
                w.reset();
                chunks.clear();
            }
        }
        if (f.next_offset > next) next = f.next_offset;
    }
    if (w)
        pm.segments.push_back(
            co_await store_segment(b, layout, topic, p, std::move(*w), std::move(chunks)));
    co_return pm;
}

awaitable<void> make(kc::cluster& c, kb::storage::backend& b, job j) {
    co_await c.bootstrap();
    sf::backup_layout layout(j.backup_id);
    sf::manifest m;
    m.backup_id = j.backup_id;
    m.tool_version = "make_backup-test";
    m.created_at = sf::now_ms();
    m.source.cluster_id = c.metadata().cluster_id;
    m.source.bootstrap_servers = c.config().bootstrap_servers;
    for (const auto& t : j.topics) {
        auto info = co_await c.topic(t);
        sf::topic_manifest tm;
        tm.name = t;
        tm.partition_count = static_cast<std::int32_t>(info.partitions.size());
        for (const auto& p : info.partitions) {
            auto pm = co_await backup_partition(c, b, layout, t, p.partition, j.per_segment);
            if (pm.segments.empty())
                tm.empty_partitions.push_back(p.partition);
            else
                tm.partitions.push_back(std::move(pm));
        }
        m.topics.push_back(std::move(tm));
    }
    for (const auto& g : j.groups) {
        sf::group_snapshot gs;
        gs.group_id = g;
        gs.taken_at = sf::now_ms();
        for (const auto& o : co_await kc::fetch_group_offsets(c, g))
            if (o.offset >= 0)
                gs.offsets.push_back(
                    {o.topic, o.partition, o.offset, o.leader_epoch, o.metadata.value_or("")});
        m.consumer_groups.push_back(std::move(gs));
    }
    m.status = sf::backup_status::complete;
    m.updated_at = sf::now_ms();
    sf::manifest_store store(b, layout);
    co_await store.read_latest();
    co_await store.publish(std::move(m));
    co_await c.close();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::cerr << "usage: make_backup BOOTSTRAP PATH BACKUP_ID TOPICS GROUPS [PER_SEGMENT]\n";
        return 2;
    }
    try {
        boost::asio::io_context io;
        kc::client_config cfg;
        cfg.bootstrap_servers = {argv[1]};
        kc::cluster c(io.get_executor(), cfg);
        auto backend =
            kb::storage::open_backend(io.get_executor(), kb::storage::parse_location(argv[2]));
        job j{argv[3], split(argv[4]), split(argv[5]),
              argc > 6 ? std::strtoull(argv[6], nullptr, 10) : 1000};
        kb::runtime::run_blocking(io, make(c, *backend, j));
    } catch (const std::exception& e) {
        std::cerr << "make_backup: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
