#include <kb/kafka/client/acls.hpp>

#include <kb/kafka/protocol/acls.hpp>
#include <kb/kafka/protocol/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

namespace {

using name_table = std::vector<std::pair<std::int8_t, std::string_view>>;

// Codes from Kafka's AclResourceType, PatternType, AclOperation, AclPermissionType.
const name_table& resources() {
    static const name_table t{{2, "topic"},
                              {3, "group"},
                              {4, "cluster"},
                              {5, "transactional_id"},
                              {6, "delegation_token"},
                              {7, "user"}};
    return t;
}
const name_table& patterns() {
    static const name_table t{{3, "literal"}, {4, "prefixed"}};
    return t;
}
const name_table& operations() {
    static const name_table t{{2, "all"},
                              {3, "read"},
                              {4, "write"},
                              {5, "create"},
                              {6, "delete"},
                              {7, "alter"},
                              {8, "describe"},
                              {9, "cluster_action"},
                              {10, "describe_configs"},
                              {11, "alter_configs"},
                              {12, "idempotent_write"},
                              {13, "create_tokens"},
                              {14, "describe_tokens"},
                              {15, "two_phase_commit"}};
    return t;
}
const name_table& permissions() {
    static const name_table t{{2, "deny"}, {3, "allow"}};
    return t;
}

std::string name_of(const name_table& t, std::int8_t code) {
    auto it = std::find_if(t.begin(), t.end(), [&](auto& e) { return e.first == code; });
    return it != t.end() ? std::string(it->second) : fmt::format("unknown({})", code);
}

std::optional<std::int8_t> code_of(const name_table& t, std::string_view name) {
    auto it = std::find_if(t.begin(), t.end(), [&](auto& e) { return e.second == name; });
    return it != t.end() ? std::optional<std::int8_t>(it->first) : std::nullopt;
}

asio::awaitable<std::vector<acl_binding>> describe_round(cluster* c) {
    proto::describe_acls_request req;  // every resource, pattern, principal and operation
    auto conn = co_await c->any_connection();
    auto resp = co_await conn->call<proto::describe_acls_response>(std::move(req));
    if (resp.error_code != 0)
        throw proto::make_error(resp.error_code, "describing ACLs",
                                resp.error_message.value_or(""));
    std::vector<acl_binding> out;
    for (const auto& r : resp.resources)
        for (const auto& a : r.acls)
            out.push_back({r.resource_type, r.name, r.pattern_type, a.principal, a.host,
                           a.operation, a.permission_type});
    co_return out;
}

asio::awaitable<void> create_round(cluster* c, std::vector<acl_binding> acls) {
    proto::create_acls_request req;
    for (const auto& a : acls)
        req.creations.push_back({a.resource_type, a.resource_name, a.pattern_type, a.principal,
                                 a.host, a.operation, a.permission});
    auto conn = co_await c->any_connection();
    auto resp = co_await conn->call<proto::create_acls_response>(std::move(req));
    for (std::size_t i = 0; i < resp.results.size() && i < acls.size(); ++i) {
        const auto& r = resp.results[i];
        if (r.error_code == 0) continue;
        const auto& a = acls[i];
        throw proto::make_error(
            r.error_code,
            fmt::format("creating ACL {} {} {} on {} {} '{}' for host {}", a.principal,
                        name_of(permissions(), a.permission), name_of(operations(), a.operation),
                        name_of(patterns(), a.pattern_type), name_of(resources(), a.resource_type),
                        a.resource_name, a.host),
            r.error_message.value_or(""));
    }
}

}  // namespace

asio::awaitable<std::vector<acl_binding>> describe_acls(cluster& c) {
    auto attempt = [&c] { return describe_round(&c); };
    std::string what = "describing ACLs";  // named: no temporaries inside co_await (GCC 12)
    co_return co_await c.with_retry(std::move(what), attempt);
}

asio::awaitable<void> create_acls(cluster& c, std::vector<acl_binding> acls) {
    if (acls.empty()) co_return;
    auto attempt = [&c, acls] { return create_round(&c, acls); };
    std::string what = fmt::format("creating {} ACL(s)", acls.size());
    co_await c.with_retry(std::move(what), attempt);
}

std::string acl_resource_name(std::int8_t code) {
    return name_of(resources(), code);
}
std::string acl_pattern_name(std::int8_t code) {
    return name_of(patterns(), code);
}
std::string acl_operation_name(std::int8_t code) {
    return name_of(operations(), code);
}
std::string acl_permission_name(std::int8_t code) {
    return name_of(permissions(), code);
}
std::optional<std::int8_t> parse_acl_resource(std::string_view n) {
    return code_of(resources(), n);
}
std::optional<std::int8_t> parse_acl_pattern(std::string_view n) {
    return code_of(patterns(), n);
}
std::optional<std::int8_t> parse_acl_operation(std::string_view n) {
    return code_of(operations(), n);
}
std::optional<std::int8_t> parse_acl_permission(std::string_view n) {
    return code_of(permissions(), n);
}

}  // namespace kb::kafka::client
