#pragma once
// Consumer-group translation: committed source offset c -> the target offset of the
// first restored record whose source offset is >= c (or the target partition's end
// when none is), then committed on the target for groups without active members.

#include <kb/kafka/client/cluster.hpp>
#include <kb/restore/offset_mapping.hpp>
#include <kb/restore/restore.hpp>

namespace kb::restore::detail {

boost::asio::awaitable<std::vector<group_translation>> translate_groups(
    kafka::client::cluster& c, const restore_plan& plan, const offset_mapping& mapping,
    const config::restore_options& opts);

}  // namespace kb::restore::detail
