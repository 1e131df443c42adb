#pragma once
// The source cluster's ACLs that a backup keeps (backup.acls): those on its topics
// and consumer groups, and, with backup.cluster_acls, those on the cluster,
// transactional ids, delegation tokens and users.

#include <kb/kafka/client/acls.hpp>
#include <kb/kafka/client/cluster.hpp>
#include <kb/storage/format/manifest.hpp>

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::backup {

struct acl_scope {
    std::vector<std::string> topics;       // the selected topics
    std::vector<std::string> group_globs;  // empty: every group
    bool cluster_acls = false;
};

// Whether `a` concerns what the backup covers: a topic ACL literal on a selected
// topic or on '*', or prefixed by a prefix of one; a group ACL on a selected group
// ('*' and prefixed ones when every group is selected, or when a glob matches the name).
bool acl_in_scope(const kafka::client::acl_binding& a, const acl_scope& scope);

storage::format::acl_entry to_entry(const kafka::client::acl_binding& a);

// The ACLs in scope, sorted. Throws kb::error (auth) when the cluster refuses
// (no authorizer, or no DESCRIBE on the cluster), naming the way out.
boost::asio::awaitable<std::vector<storage::format::acl_entry>> capture_acls(
    kafka::client::cluster& c, acl_scope scope);

}  // namespace kb::backup
