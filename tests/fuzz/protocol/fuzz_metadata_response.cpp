// libFuzzer target: a Metadata response body; the first byte picks the version.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/runtime/error.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    using namespace kb::kafka::protocol;
    if (size < 1) return 0;
    const auto range = codec_range(api_key::Metadata);
    const auto version = static_cast<int16_t>(range.min + data[0] % (range.max - range.min + 1));
    try {
        reader r(
            std::span<const std::byte>(reinterpret_cast<const std::byte*>(data + 1), size - 1));
        const auto resp = metadata_response::decode(r, version);
        // Re-encoding what was decoded must not fail either.
        writer w;
        resp.encode(w, version);
    } catch (const kb::error&) {
    }
    return 0;
}
