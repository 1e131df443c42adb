#pragma once
// restore.restore_acls: the backup's ACLs recreated on the target (CreateAcls), with
// the topic renames of the restore applied to literal topic ACLs.

#include <kb/kafka/client/acls.hpp>
#include <kb/kafka/client/cluster.hpp>
#include <kb/restore/restore.hpp>
#include <kb/storage/format/manifest.hpp>

#include <boost/asio/awaitable.hpp>

#include <vector>

namespace kb::restore::detail {

// The ACLs to recreate: every captured ACL except literal topic ACLs on topics this
// restore leaves out, those on restored topics renamed as the topics are. Throws
// kb::error when the backup holds no ACLs or one this tool cannot name.
std::vector<storage::format::acl_entry> acls_to_restore(const storage::format::manifest& m,
                                                        const restore_plan& plan);

kafka::client::acl_binding to_binding(const storage::format::acl_entry& a);

boost::asio::awaitable<void> create_acls(kafka::client::cluster& c, const restore_plan& plan);

}  // namespace kb::restore::detail
