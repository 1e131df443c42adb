#pragma once
// The restore checkpoint: {backup}/restores/<restore id>/checkpoint.json.
//
// Written once before anything is produced: for every task (source partition with
// a single target partition) the target partition's end offset at that moment. A
// re-run of the same restore (same id) that finds an unfinished checkpoint counts
// what is on the target now: end_now - target_start records of that partition are
// already there (acks=all, idempotent, in order), so it skips exactly that many
// chosen records and maps them to target_start.. without producing them again.
// A checkpoint marked complete makes a re-run produce nothing, unless asked to
// restart (then it starts over).

#include <kb/storage/backend.hpp>
#include <kb/storage/format/keys.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::restore::detail {

struct checkpoint_partition {
    std::string source_topic;
    std::int32_t source_partition = 0;
    std::string target_topic;
    std::int32_t target_partition = 0;
    std::int64_t target_start = 0;
};

struct checkpoint_state {
    std::string restore_id;
    bool complete = false;
    std::vector<checkpoint_partition> partitions;

    const checkpoint_partition* find(const std::string& topic, std::int32_t partition) const;
};

std::string checkpoint_key(const storage::format::backup_layout& layout, std::string_view id);
std::string serialize_checkpoint(const checkpoint_state& s);
checkpoint_state parse_checkpoint(std::string_view text);

storage::awaitable<std::optional<checkpoint_state>> load_checkpoint(
    storage::backend& b, storage::format::backup_layout layout, std::string restore_id);
storage::awaitable<void> save_checkpoint(storage::backend& b, storage::format::backup_layout layout,
                                         checkpoint_state s);

}  // namespace kb::restore::detail
