#pragma once
// ACLs: read every binding of the cluster (DescribeAcls) and create bindings
// (CreateAcls, idempotent: Kafka ignores a binding that exists). A broker without an
// authorizer answers SECURITY_DISABLED, a principal without DESCRIBE on the cluster
// CLUSTER_AUTHORIZATION_FAILED: both throw kb::error of class auth.

#include <kb/kafka/client/cluster.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::kafka::client {

struct acl_binding {
    std::int8_t resource_type = 0;  // Kafka's AclResourceType code (2 topic, 3 group, ...)
    std::string resource_name;
    std::int8_t pattern_type = 3;  // 3 literal, 4 prefixed
    std::string principal;
    std::string host;
    std::int8_t operation = 0;
    std::int8_t permission = 0;  // 2 deny, 3 allow
    bool operator==(const acl_binding&) const = default;
};

boost::asio::awaitable<std::vector<acl_binding>> describe_acls(cluster& c);
boost::asio::awaitable<void> create_acls(cluster& c, std::vector<acl_binding> acls);

// Kafka's names in lower case, as kafka-acls.sh prints them ("topic", "prefixed",
// "describe_configs", "allow"), and back; parse_* return nullopt for an unknown name.
std::string acl_resource_name(std::int8_t code);
std::string acl_pattern_name(std::int8_t code);
std::string acl_operation_name(std::int8_t code);
std::string acl_permission_name(std::int8_t code);
std::optional<std::int8_t> parse_acl_resource(std::string_view name);
std::optional<std::int8_t> parse_acl_pattern(std::string_view name);
std::optional<std::int8_t> parse_acl_operation(std::string_view name);
std::optional<std::int8_t> parse_acl_permission(std::string_view name);

}  // namespace kb::kafka::client
