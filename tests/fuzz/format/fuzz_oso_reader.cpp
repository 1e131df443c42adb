// Fuzzes the readers of OSO kafka-backup backups: segment objects (header, CRC,
// zstd/lz4 payload, record frames) and manifest.json. Classified kb::errors are the
// expected outcome for bad input; anything else (a crash, a sanitizer report,
// another exception type) is a bug.

#include <kb/runtime/error.hpp>
#include <kb/storage/format/oso.hpp>

#include <zlib.h>

#include <cstdint>
#include <string_view>
#include <vector>

using namespace kb::storage::format;

namespace {

void segment(std::span<const std::byte> bytes) {
    try {
        auto seg = decode_oso_segment(bytes, "fuzz", 1u << 20);
        for_each_oso_record(seg, "fuzz", [](const oso_record&, std::size_t, std::size_t) {});
    } catch (const kb::error&) {
    }
}

// Random input rarely passes the magics and the CRC, so the input is also tried
// with them repaired: the decompressors and the record walk see it then.
std::vector<std::byte> repaired(const std::uint8_t* data, std::size_t size) {
    std::vector<std::byte> b(reinterpret_cast<const std::byte*>(data),
                             reinterpret_cast<const std::byte*>(data) + size);
    if (b.size() < oso_header_size + oso_footer_size) return b;
    const char head[] = {'K', 'B', 'A', 'K', 1};
    for (int i = 0; i < 5; ++i) b[i] = static_cast<std::byte>(head[i]);
    b[5] = static_cast<std::byte>(std::to_integer<unsigned>(b[5]) % 3);
    auto n = b.size() - oso_footer_size;
    auto crc = ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(b.data()),
                       static_cast<uInt>(n));
    for (int i = 0; i < 4; ++i) b[n + i] = static_cast<std::byte>((crc >> (8 * i)) & 0xFF);
    const char tail[] = {'B', 'K', 'A', 'E'};
    for (int i = 0; i < 4; ++i) b[n + 4 + i] = static_cast<std::byte>(tail[i]);
    return b;
}

void manifest_text(std::string_view text) {
    try {
        if (looks_like_oso_manifest(text)) parse_oso_manifest(text);
    } catch (const kb::error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    segment({reinterpret_cast<const std::byte*>(data), size});
    segment(repaired(data, size));
    manifest_text({reinterpret_cast<const char*>(data), size});
    return 0;
}
