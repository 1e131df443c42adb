#pragma once
// Shared by the format tests: Kafka v2 batches built byte by byte (valid
// header and CRC32C), and a backend wrapper that counts and can fail calls.

#include "../storage_fs/test_support.hpp"

#include <kb/storage/backend.hpp>
#include <kb/storage/checksum.hpp>
#include <kb/storage/format/segment_writer.hpp>

#include <fmt/format.h>

#include <functional>
#include <ostream>
#include <random>

namespace kb::storage::format {
// So Boost.Test can print codecs in data-driven cases and failed checks.
inline std::ostream& operator<<(std::ostream& os, codec c) {
    return os << to_string(c);
}
}  // namespace kb::storage::format

namespace kb::test {

struct built_batch {
    runtime::shared_buffer bytes;
    storage::format::batch_meta meta;
};

inline void put_be(std::vector<std::byte>& v, std::size_t at, std::uint64_t x, int n) {
    for (int i = 0; i < n; ++i) v[at + i] = static_cast<std::byte>((x >> (8 * (n - 1 - i))) & 0xFF);
}

// A v2 batch of `records` records whose record area is `payload` bytes, one in
// four pseudo-random and the rest repetitive, so codecs have something to compress.
inline built_batch make_batch(std::int64_t base_offset, int records, std::int64_t base_ts,
                              std::size_t payload, std::uint32_t seed) {
    std::vector<std::byte> b(61 + payload);
    put_be(b, 0, static_cast<std::uint64_t>(base_offset), 8);
    put_be(b, 8, b.size() - 12, 4);
    put_be(b, 12, 0, 4);   // partition leader epoch
    b[16] = std::byte{2};  // magic
    put_be(b, 21, 0, 2);   // attributes
    put_be(b, 23, static_cast<std::uint64_t>(records - 1), 4);
    put_be(b, 27, static_cast<std::uint64_t>(base_ts), 8);
    put_be(b, 35, static_cast<std::uint64_t>(base_ts + records - 1), 8);
    put_be(b, 43, ~0ull, 8);  // producer id -1
    put_be(b, 51, 0xFFFF, 2);
    put_be(b, 53, 0xFFFFFFFF, 4);
    put_be(b, 57, static_cast<std::uint64_t>(records), 4);
    std::mt19937 rng(seed);
    for (std::size_t i = 61; i < b.size(); ++i)
        b[i] = static_cast<std::byte>(i % 4 == 0 ? rng() & 0xFF : (i / 64) & 0xFF);
    auto crc = storage::crc32c(std::span(b).subspan(21));
    put_be(b, 17, crc, 4);
    storage::format::batch_meta m{base_offset, base_offset + records - 1, base_ts,
                                  base_ts + records - 1, static_cast<std::uint32_t>(records)};
    return {runtime::shared_buffer::adopt(std::move(b)), m};
}

inline std::string concat(const std::vector<runtime::shared_buffer>& pieces) {
    std::string s;
    for (auto& p : pieces) s.append(p.as_string_view());
    return s;
}

// Delegates to a real backend; counts calls, records ranged GETs, and can make
// chosen calls fail (fault injection around the real filesystem backend).
class wrapping_backend : public storage::backend {
  public:
    explicit wrapping_backend(storage::backend& inner) : inner_(inner) {}

    std::vector<std::optional<storage::byte_range>> gets;
    int parts_started = 0, aborts = 0, in_flight = 0, peak_in_flight = 0;
    std::function<void(int part)> on_upload_part;     // may throw
    std::function<storage::awaitable<void>()> delay;  // awaited inside get/upload_part
    // Called after a put reached the inner backend; may throw (a lost reply).
    std::function<void(const std::string& key)> after_put;
    // Calls per operation, for checks that a cost stays flat.
    struct counts {
        int puts = 0, gets = 0, heads = 0, lists = 0, removes = 0;
        int total() const { return puts + gets + heads + lists + removes; }
    } calls;

    std::string describe() const override { return inner_.describe(); }
    storage::awaitable<void> put(std::string k, runtime::shared_buffer b) override {
        ++calls.puts;
        co_await inner_.put(k, std::move(b));
        if (after_put) after_put(k);
    }
    storage::awaitable<runtime::shared_buffer> get(std::string k,
                                                   std::optional<storage::byte_range> r) override {
        gets.push_back(r);
        ++calls.gets;
        enter();
        struct leave {
            int& n;
            ~leave() { --n; }
        } guard{in_flight};
        if (delay) co_await delay();
        co_return co_await inner_.get(std::move(k), r);
    }
    storage::awaitable<std::optional<storage::object_info>> head(std::string k) override {
        ++calls.heads;
        return inner_.head(std::move(k));
    }
    storage::awaitable<storage::list_page> list(std::string p, std::optional<std::string> t,
                                                int n) override {
        ++calls.lists;
        return inner_.list(std::move(p), std::move(t), n);
    }
    storage::awaitable<void> remove(std::string k) override {
        ++calls.removes;
        return inner_.remove(std::move(k));
    }
    storage::awaitable<void> remove_many(std::vector<std::string> k) override {
        ++calls.removes;
        return inner_.remove_many(std::move(k));
    }
    storage::awaitable<std::size_t> discard_staged(std::string p) override {
        return inner_.discard_staged(std::move(p));
    }
    storage::awaitable<std::string> create_multipart(std::string k) override {
        return inner_.create_multipart(std::move(k));
    }
    storage::awaitable<storage::completed_part> upload_part(std::string k, std::string id, int n,
                                                            runtime::shared_buffer b) override {
        ++parts_started;
        enter();
        struct leave {
            int& n;
            ~leave() { --n; }
        } guard{in_flight};
        if (delay) co_await delay();
        if (on_upload_part) on_upload_part(n);
        co_return co_await inner_.upload_part(std::move(k), std::move(id), n, std::move(b));
    }
    storage::awaitable<void> complete_multipart(std::string k, std::string id,
                                                std::vector<storage::completed_part> p) override {
        return inner_.complete_multipart(std::move(k), std::move(id), std::move(p));
    }
    storage::awaitable<void> abort_multipart(std::string k, std::string id) override {
        ++aborts;
        return inner_.abort_multipart(std::move(k), std::move(id));
    }
    storage::awaitable<std::vector<storage::multipart_upload>> list_multipart_uploads(
        std::string p) override {
        return inner_.list_multipart_uploads(std::move(p));
    }

  private:
    void enter() { peak_in_flight = std::max(peak_in_flight, ++in_flight); }
    storage::backend& inner_;
};

}  // namespace kb::test
