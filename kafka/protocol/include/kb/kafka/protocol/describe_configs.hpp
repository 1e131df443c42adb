#pragma once
// DescribeConfigs (key 32): topic (resource_type 2) or broker (4) configs.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

inline constexpr int8_t resource_type_topic = 2;
inline constexpr int8_t resource_type_broker = 4;

// ConfigSource values (v1+).
inline constexpr int8_t config_source_dynamic_topic = 1;
inline constexpr int8_t config_source_default = 5;

struct describe_configs_request {
    static constexpr api_key key = api_key::DescribeConfigs;
    struct resource {
        int8_t resource_type = resource_type_topic;
        std::string resource_name{};
        std::optional<std::vector<std::string>> configuration_keys{};  // nullopt = all
        bool operator==(const resource&) const = default;
    };
    std::vector<resource> resources{};
    bool include_synonyms = false;       // v1+
    bool include_documentation = false;  // v3+

    void encode(writer& w, int16_t v) const;
    static describe_configs_request decode(reader& r, int16_t v);
    bool operator==(const describe_configs_request&) const = default;
};

struct describe_configs_response {
    struct synonym {
        std::string name{};
        std::optional<std::string> value{};
        int8_t source = 0;
        bool operator==(const synonym&) const = default;
    };
    struct config {
        std::string name{};
        std::optional<std::string> value{};
        bool read_only = false;
        bool is_default = false;    // v0 only (v1+: config_source == default)
        int8_t config_source = -1;  // v1+
        bool is_sensitive = false;
        std::vector<synonym> synonyms{};             // v1+
        int8_t config_type = 0;                      // v3+
        std::optional<std::string> documentation{};  // v3+
        bool operator==(const config&) const = default;
    };
    struct result {
        int16_t error_code = 0;
        std::optional<std::string> error_message{};
        int8_t resource_type = 0;
        std::string resource_name{};
        std::vector<config> configs{};
        bool operator==(const result&) const = default;
    };
    int32_t throttle_time_ms = 0;
    std::vector<result> results{};

    void encode(writer& w, int16_t v) const;
    static describe_configs_response decode(reader& r, int16_t v);
    bool operator==(const describe_configs_response&) const = default;
};

}  // namespace kb::kafka::protocol
