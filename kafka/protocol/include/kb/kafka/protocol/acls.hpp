#pragma once
// DescribeAcls (key 29) and CreateAcls (key 30), v1-3 (flexible from v2). The enums
// are Kafka's AclResourceType, PatternType, AclOperation and AclPermissionType codes.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

// AclResourceType
inline constexpr int8_t acl_resource_any = 1;
inline constexpr int8_t acl_resource_topic = 2;
inline constexpr int8_t acl_resource_group = 3;
inline constexpr int8_t acl_resource_cluster = 4;
inline constexpr int8_t acl_resource_transactional_id = 5;
inline constexpr int8_t acl_resource_delegation_token = 6;
inline constexpr int8_t acl_resource_user = 7;
// PatternType
inline constexpr int8_t acl_pattern_any = 1;
inline constexpr int8_t acl_pattern_match = 2;
inline constexpr int8_t acl_pattern_literal = 3;
inline constexpr int8_t acl_pattern_prefixed = 4;
// AclOperation / AclPermissionType: 1 is ANY for both.
inline constexpr int8_t acl_operation_any = 1;
inline constexpr int8_t acl_permission_any = 1;

struct describe_acls_request {
    static constexpr api_key key = api_key::DescribeAcls;
    int8_t resource_type_filter = acl_resource_any;
    std::optional<std::string> resource_name_filter{};  // null: any name
    int8_t pattern_type_filter = acl_pattern_any;
    std::optional<std::string> principal_filter{};
    std::optional<std::string> host_filter{};
    int8_t operation = acl_operation_any;
    int8_t permission_type = acl_permission_any;

    void encode(writer& w, int16_t v) const;
    static describe_acls_request decode(reader& r, int16_t v);
    bool operator==(const describe_acls_request&) const = default;
};

struct describe_acls_response {
    struct acl {
        std::string principal{};
        std::string host{};
        int8_t operation = 0;
        int8_t permission_type = 0;
        bool operator==(const acl&) const = default;
    };
    struct resource {
        int8_t resource_type = 0;
        std::string name{};
        int8_t pattern_type = acl_pattern_literal;
        std::vector<acl> acls{};
        bool operator==(const resource&) const = default;
    };
    int32_t throttle_time_ms = 0;
    int16_t error_code = 0;
    std::optional<std::string> error_message{};
    std::vector<resource> resources{};

    void encode(writer& w, int16_t v) const;
    static describe_acls_response decode(reader& r, int16_t v);
    bool operator==(const describe_acls_response&) const = default;
};

struct create_acls_request {
    static constexpr api_key key = api_key::CreateAcls;
    struct creation {
        int8_t resource_type = 0;
        std::string resource_name{};
        int8_t pattern_type = acl_pattern_literal;
        std::string principal{};
        std::string host{};
        int8_t operation = 0;
        int8_t permission_type = 0;
        bool operator==(const creation&) const = default;
    };
    std::vector<creation> creations{};

    void encode(writer& w, int16_t v) const;
    static create_acls_request decode(reader& r, int16_t v);
    bool operator==(const create_acls_request&) const = default;
};

struct create_acls_response {
    struct result {
        int16_t error_code = 0;
        std::optional<std::string> error_message{};
        bool operator==(const result&) const = default;
    };
    int32_t throttle_time_ms = 0;
    std::vector<result> results{};

    void encode(writer& w, int16_t v) const;
    static create_acls_response decode(reader& r, int16_t v);
    bool operator==(const create_acls_response&) const = default;
};

}  // namespace kb::kafka::protocol
