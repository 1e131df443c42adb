#include "acl_capture.hpp"

#include <kb/config/topic_selector.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace kb::backup {

namespace kc = kafka::client;
namespace sf = storage::format;

namespace {

constexpr std::int8_t topic_resource = 2, group_resource = 3;
constexpr std::int8_t prefixed = 4;

bool topic_in_scope(const kc::acl_binding& a, const acl_scope& s) {
    if (a.pattern_type == prefixed)
        return std::any_of(s.topics.begin(), s.topics.end(),
                           [&](const std::string& t) { return t.starts_with(a.resource_name); });
    return a.resource_name == "*" ||
           std::find(s.topics.begin(), s.topics.end(), a.resource_name) != s.topics.end();
}

bool group_in_scope(const kc::acl_binding& a, const acl_scope& s) {
    if (s.group_globs.empty()) return true;
    return std::any_of(s.group_globs.begin(), s.group_globs.end(), [&](const std::string& g) {
        return config::glob_match(g, a.resource_name) ||
               (a.pattern_type == prefixed && g.starts_with(a.resource_name));
    });
}

bool entry_less(const sf::acl_entry& x, const sf::acl_entry& y) {
    return std::tie(x.resource_type, x.resource_name, x.pattern_type, x.principal, x.host,
                    x.operation, x.permission) < std::tie(y.resource_type, y.resource_name,
                                                          y.pattern_type, y.principal, y.host,
                                                          y.operation, y.permission);
}

}  // namespace

bool acl_in_scope(const kc::acl_binding& a, const acl_scope& scope) {
    if (a.resource_type == topic_resource) return topic_in_scope(a, scope);
    if (a.resource_type == group_resource) return group_in_scope(a, scope);
    return scope.cluster_acls;
}

sf::acl_entry to_entry(const kc::acl_binding& a) {
    return {kc::acl_resource_name(a.resource_type),
            a.resource_name,
            kc::acl_pattern_name(a.pattern_type),
            a.principal,
            a.host,
            kc::acl_operation_name(a.operation),
            kc::acl_permission_name(a.permission)};
}

boost::asio::awaitable<std::vector<sf::acl_entry>> capture_acls(kc::cluster& c, acl_scope scope) {
    std::vector<kc::acl_binding> all;
    try {
        all = co_await kc::describe_acls(c);
    } catch (const kb::error& e) {
        if (e.cls() != error_class::auth) throw;
        throw kb::error(error_class::auth, e.code(),
                        fmt::format("cannot back up ACLs: {} (the backup's principal needs "
                                    "DESCRIBE on the cluster, and the cluster an authorizer); "
                                    "add --acls-optional to back up without them",
                                    e.what()));
    }
    std::vector<sf::acl_entry> out;
    for (const auto& a : all)
        if (acl_in_scope(a, scope)) out.push_back(to_entry(a));
    std::sort(out.begin(), out.end(), entry_less);
    co_return out;
}

}  // namespace kb::backup
