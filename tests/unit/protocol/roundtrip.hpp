#pragma once
// Round-trip driver: for every version an API's codec supports, encode a sample,
// decode it, compare, re-encode and compare bytes, and check that every strict
// prefix of the encoding fails cleanly (a truncated message must never decode).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/fetch.hpp>
#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/buffer.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include <type_traits>

namespace kb::kafka::protocol::test {

template <class T>
T decode_as(std::span<const std::byte> bytes, int16_t v, std::size_t* consumed) {
    if constexpr (std::is_same_v<T, fetch_response>) {
        const auto owner = runtime::shared_buffer::copy_of(bytes);
        reader r(owner.bytes());
        auto out = T::decode(r, v, owner);
        *consumed = r.position();
        return out;
    } else {
        reader r(bytes);
        auto out = T::decode(r, v);
        *consumed = r.position();
        return out;
    }
}

template <class T, class Make>
void check_round_trips(api_key key, Make make) {
    const version_range range = codec_range(key);
    BOOST_REQUIRE(!range.empty());
    for (int16_t v = range.min; v <= range.max; ++v) {
        BOOST_TEST_CONTEXT(api_name(key) << " v" << v) {
            const T original = make(v);
            writer w;
            original.encode(w, v);
            std::size_t consumed = 0;
            const T decoded = decode_as<T>(w.buffer(), v, &consumed);
            BOOST_TEST(consumed == w.size());
            BOOST_TEST((decoded == original));
            writer again;
            decoded.encode(again, v);
            BOOST_TEST((again.buffer() == w.buffer()));
            for (std::size_t cut = 0; cut < w.size(); ++cut) {
                const auto prefix = std::span<const std::byte>(w.buffer()).first(cut);
                BOOST_CHECK_THROW(decode_as<T>(prefix, v, &consumed), kb::error);
            }
        }
    }
}

}  // namespace kb::kafka::protocol::test
