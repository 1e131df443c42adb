// libFuzzer target: a Fetch response body. The first byte picks the version; the
// records of every partition are then split and decoded like the backup path does.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/fetch.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    using namespace kb::kafka::protocol;
    if (size < 1) return 0;
    const auto range = codec_range(api_key::Fetch);
    const auto version = static_cast<int16_t>(range.min + data[0] % (range.max - range.min + 1));
    const auto owner = kb::runtime::shared_buffer::copy_of(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data + 1), size - 1));
    try {
        reader r(owner.bytes());
        const auto resp = fetch_response::decode(r, version, owner);
        for (const auto& topic : resp.responses)
            for (const auto& p : topic.partitions)
                for (const auto& batch : split_batches(p.records, nullptr))
                    for_each_record(
                        batch, [](const record&) {}, 16u << 20);
    } catch (const kb::error&) {
    }
    return 0;
}
