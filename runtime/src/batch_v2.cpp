#include <kb/runtime/batch_v2.hpp>
#include <kb/runtime/crc32c.hpp>

namespace kb::runtime::batch_v2 {
namespace {

template <class T>
T get_be(std::span<const std::byte> bytes, std::size_t at) noexcept {
    using U = std::make_unsigned_t<T>;
    U u = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) u = U(u << 8) | std::to_integer<U>(bytes[at + i]);
    return static_cast<T>(u);
}

}  // namespace

header read_header(std::span<const std::byte> b) noexcept {
    header h;
    h.base_offset = get_be<std::int64_t>(b, 0);
    h.batch_length = get_be<std::int32_t>(b, 8);
    h.partition_leader_epoch = get_be<std::int32_t>(b, partition_leader_epoch_offset);
    h.magic = get_be<std::int8_t>(b, magic_offset);
    h.crc = get_be<std::uint32_t>(b, crc_offset);
    h.attributes = get_be<std::int16_t>(b, attributes_offset);
    h.last_offset_delta = get_be<std::int32_t>(b, 23);
    h.base_timestamp = get_be<std::int64_t>(b, 27);
    h.max_timestamp = get_be<std::int64_t>(b, 35);
    h.producer_id = get_be<std::int64_t>(b, producer_id_offset);
    h.producer_epoch = get_be<std::int16_t>(b, 51);
    h.base_sequence = get_be<std::int32_t>(b, 53);
    h.record_count = get_be<std::int32_t>(b, 57);
    return h;
}

std::uint32_t compute_crc(std::span<const std::byte> batch) noexcept {
    return crc32c(batch.subspan(attributes_offset));
}

}  // namespace kb::runtime::batch_v2
