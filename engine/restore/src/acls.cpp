#include "acls.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::restore::detail {

namespace kc = kafka::client;
namespace sf = storage::format;

namespace {

const topic_plan* restored_topic(const restore_plan& plan, const std::string& source) {
    auto it = std::find_if(plan.topics.begin(), plan.topics.end(),
                           [&](const topic_plan& t) { return t.source_topic == source; });
    return it == plan.topics.end() ? nullptr : &*it;
}

template <class Parse>
std::int8_t code_or_throw(Parse parse, const std::string& name, const char* field) {
    if (auto code = parse(name)) return *code;
    throw kb::error(
        error_class::fatal, "InvalidManifest",
        fmt::format("the backup's ACL {} '{}' is not one this kafka-backup knows", field, name));
}

}  // namespace

std::vector<sf::acl_entry> acls_to_restore(const sf::manifest& m, const restore_plan& plan) {
    if (!m.acls)
        throw kb::error(error_class::not_found, "NoAclsInBackup",
                        fmt::format("backup '{}' holds no ACLs (it was taken without --acls): "
                                    "drop --restore-acls, or back up with --acls",
                                    m.backup_id));
    std::vector<sf::acl_entry> out;
    for (auto a : *m.acls) {
        const bool named_topic =
            a.resource_type == "topic" && a.pattern_type == "literal" && a.resource_name != "*";
        if (named_topic) {
            const auto* t = restored_topic(plan, a.resource_name);
            if (!t) continue;
            a.resource_name = t->target_topic;
        }
        (void)to_binding(a);  // an ACL we cannot name fails the plan, before anything is done
        out.push_back(std::move(a));
    }
    return out;
}

kc::acl_binding to_binding(const sf::acl_entry& a) {
    return {code_or_throw(kc::parse_acl_resource, a.resource_type, "resource type"),
            a.resource_name,
            code_or_throw(kc::parse_acl_pattern, a.pattern_type, "pattern type"),
            a.principal,
            a.host,
            code_or_throw(kc::parse_acl_operation, a.operation, "operation"),
            code_or_throw(kc::parse_acl_permission, a.permission, "permission")};
}

boost::asio::awaitable<void> create_acls(kc::cluster& c, const restore_plan& plan) {
    if (plan.acls.empty()) co_return;
    std::vector<kc::acl_binding> bindings;
    for (const auto& a : plan.acls) bindings.push_back(to_binding(a));
    kb::log::info("restore", "creating {} ACL(s)", bindings.size());
    co_await kc::create_acls(c, std::move(bindings));
}

}  // namespace kb::restore::detail
