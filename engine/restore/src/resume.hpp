#pragma once
// prepare_resume: the checkpoint of an earlier run of the same restore, held
// against the target's state, turned into per-task resume points (see
// checkpoint.hpp for what is recorded and why).

#include "partition_restore.hpp"

#include <kb/kafka/client/cluster.hpp>
#include <kb/restore/restore.hpp>
#include <kb/storage/backend.hpp>

#include <optional>
#include <vector>

namespace kb::restore::detail {

using resume_points = std::vector<resume_from>;

// Saves the new checkpoint before returning. nullopt when this very restore
// already completed into the same target topics and no restart was asked for.
// Throws kb::error(fatal, "CannotResume") for an interrupted repartitioned
// restore that produced records, unless `restart`.
boost::asio::awaitable<std::optional<resume_points>> prepare_resume(kafka::client::cluster& c,
                                                                    storage::backend& b,
                                                                    const restore_plan& plan,
                                                                    bool restart);

// Reads target partition [from, to) and collects where the batches of `ours`
// (producer ids) are; logs what other producers wrote there.
boost::asio::awaitable<resume_from> find_own_records(kafka::client::cluster& c, std::string topic,
                                                     std::int32_t partition, std::int64_t from,
                                                     std::int64_t to,
                                                     std::vector<std::int64_t> ours);

}  // namespace kb::restore::detail
