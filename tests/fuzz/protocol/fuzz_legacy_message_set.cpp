// libFuzzer target: a legacy (magic 0/1) message set, including compressed wrappers.

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    using namespace kb::kafka::protocol;
    try {
        for_each_legacy_record(
            std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size),
            [](const record&) {}, 16u << 20);
    } catch (const kb::error&) {
    }
    return 0;
}
