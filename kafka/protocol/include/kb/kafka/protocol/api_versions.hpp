#pragma once
// ApiVersions (key 18): the first request on a connection; tells us each API's range.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct api_versions_request {
    static constexpr api_key key = api_key::ApiVersions;
    std::string client_software_name = "kafka-backup";  // v3+
    std::string client_software_version = "0";          // v3+

    void encode(writer& w, int16_t v) const;
    static api_versions_request decode(reader& r, int16_t v);
    bool operator==(const api_versions_request&) const = default;
};

struct api_versions_response {
    struct api_version {
        int16_t api_key = 0;
        int16_t min_version = 0;
        int16_t max_version = 0;
        bool operator==(const api_version&) const = default;
    };
    int16_t error_code = 0;
    std::vector<api_version> api_keys{};
    int32_t throttle_time_ms = 0;           // v1+
    int64_t finalized_features_epoch = -1;  // v3+ tagged

    // The broker's range for `key`, or nullopt when it does not offer it.
    std::optional<version_range> find(api_key key) const;

    void encode(writer& w, int16_t v) const;
    // A broker that does not support version v answers UNSUPPORTED_VERSION in the v0
    // layout; decode detects that and reads the rest as v0, so api_keys is usable.
    static api_versions_response decode(reader& r, int16_t v);
    bool operator==(const api_versions_response&) const = default;
};

}  // namespace kb::kafka::protocol
