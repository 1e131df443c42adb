// libFuzzer target: a fetched record set (v2 batches and legacy entries) split into
// batches, CRC-checked and fully decoded. Only kb::error may escape the decoder.

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <cstddef>
#include <cstdint>

namespace {
constexpr std::size_t max_decompressed = 16u << 20;  // keep the fuzzer's memory small
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    using namespace kb::kafka::protocol;
    const auto owner = kb::runtime::shared_buffer::copy_of(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size));
    try {
        bool truncated = false;
        std::size_t total = 0;
        for (const auto& batch : split_batches(owner, &truncated)) {
            total += batch.bytes.size();
            (void)batch.crc_ok();
            for_each_record(
                batch,
                [](const record& r) {
                    for (const auto& h : r.headers) (void)h.key.size();
                },
                max_decompressed);
        }
        if (total > size) __builtin_trap();  // slices must stay inside the input
    } catch (const kb::error&) {
    }
    return 0;
}
