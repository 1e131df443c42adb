#pragma once
// Records older than a target topic's retention.ms are deleted by the broker
// within minutes of being restored (time retention looks at record timestamps,
// which a restore keeps). Before producing, each target topic's effective
// retention.ms is read and the records at risk are counted from the manifest's
// segment timestamps, then logged as a warning and reported in the summary.
// `restore.preserve_retention` (--keep-restored-records) creates target topics
// with retention.ms=-1 instead.

#include <kb/kafka/client/cluster.hpp>
#include <kb/restore/restore.hpp>

#include <map>
#include <vector>

namespace kb::restore::detail {

// Target topic -> retention.ms (-1: kept forever). Pure: the segments of the
// plan's tasks against `now_ms - retention`. Segments wholly older count in
// `records`; those that straddle the cutoff count in `records_up_to` too.
std::vector<retention_risk> records_at_risk(const restore_plan& plan,
                                            const std::map<std::string, std::int64_t>& retention,
                                            std::int64_t now_ms);

// Reads the target topics' retention.ms (they exist by now), warns per topic.
boost::asio::awaitable<std::vector<retention_risk>> check_retention(kafka::client::cluster& c,
                                                                    const restore_plan& plan);

}  // namespace kb::restore::detail
