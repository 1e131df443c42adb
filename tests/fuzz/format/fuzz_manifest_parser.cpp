// Fuzzes the manifest parser and validator. A classified kb::error
// ("InvalidManifest") is the expected outcome for bad input; a parsed manifest
// must serialize and parse back to the same text.

#include <kb/runtime/error.hpp>
#include <kb/storage/format/manifest.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    kb::storage::format::manifest m;
    try {
        m = kb::storage::format::parse_manifest(text);
    } catch (const kb::error&) {
        return 0;
    }
    auto once = kb::storage::format::serialize_manifest(m);
    auto twice = kb::storage::format::serialize_manifest(kb::storage::format::parse_manifest(once));
    if (once != twice) std::abort();
    return 0;
}
