// backup_dump: prints every record of a backup, read back through the published
// manifest and the segment reader (every frame checksum and Kafka batch CRC is
// verified), one line per record, so scripts can compare it with what a Kafka
// consumer (kcat) reads from the topic:
//
//   R <topic> <partition> <offset> <timestamp> <key len|-1> <key sha256> <value len|-1>
//     <value sha256> <header count> [<key>=<len|-1>:<sha256>]...
//   B <topic> <partition> <base offset> <last offset> <codec> <records> <control 0|1>
//
// Control batches get a B line but no R lines (consumers never see them).
// Usage: backup_dump <location> <backup id>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/format/segment_reader.hpp>
#include <kb/storage/open.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <iostream>

namespace sf = kb::storage::format;
namespace kp = kb::kafka::protocol;
using boost::asio::awaitable;

namespace {

std::string sha256(std::span<const std::byte> b) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(b.data(), b.size(), md, &n, EVP_sha256(), nullptr);
    std::string out;
    for (unsigned i = 0; i < n; ++i) out += fmt::format("{:02x}", md[i]);
    return out;
}

std::string field(const std::optional<std::span<const std::byte>>& v) {
    if (!v) return "-1 -";
    return fmt::format("{} {}", v->size(), sha256(*v));
}

void print_batch(const std::string& topic, std::int32_t p, const kp::batch_view& b) {
    if (!b.crc_ok())
        throw std::runtime_error(fmt::format("batch at {} fails its CRC", b.header.base_offset));
    std::cout << fmt::format("B {} {} {} {} {} {} {}\n", topic, p, b.header.base_offset,
                             b.header.last_offset(), int(b.header.compression()),
                             b.header.record_count, b.header.control() ? 1 : 0);
    if (b.header.control()) return;
    kp::for_each_record(b, [&](const kp::record& r) {
        std::string line = fmt::format("R {} {} {} {} {} {} {}", topic, p, r.offset, r.timestamp,
                                       field(r.key), field(r.value), r.headers.size());
        for (auto& h : r.headers) {
            auto v = h.value ? fmt::format("{}:{}", h.value->size(), sha256(*h.value)) : "-1:-";
            line += fmt::format(" {}={}", h.key, v);
        }
        std::cout << line << '\n';
    });
}

awaitable<void> dump(kb::storage::backend& b, std::string id) {
    sf::manifest_store store(b, sf::backup_layout(id));
    auto latest = co_await store.read_latest();
    if (!latest) throw std::runtime_error("no manifest for backup " + id);
    for (auto& t : latest->value.topics)
        for (auto& p : t.partitions)
            for (auto& s : p.segments) {
                auto reader = co_await sf::segment_reader::open(b, s.key);
                while (auto frame = co_await reader.next())
                    for (auto& bytes : sf::split_batches(frame->raw))
                        for (auto& batch : kp::split_batches(bytes))
                            print_batch(t.name, p.partition, batch);
            }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: backup_dump <location> <backup id>\n";
        return 2;
    }
    try {
        boost::asio::io_context io;
        auto loc = kb::storage::parse_location(argv[1]);
        if (const char* k = std::getenv("AWS_ACCESS_KEY_ID")) loc.access_key = k;
        if (const char* s = std::getenv("AWS_SECRET_ACCESS_KEY")) loc.secret_key = s;
        auto backend = kb::storage::open_backend(io.get_executor(), loc);
        auto done = boost::asio::co_spawn(io, dump(*backend, argv[2]), boost::asio::use_future);
        io.run();
        done.get();
    } catch (const std::exception& e) {
        std::cerr << "backup_dump: " << e.what() << '\n';
        return 1;
    }
    std::cout.flush();
    return 0;
}
