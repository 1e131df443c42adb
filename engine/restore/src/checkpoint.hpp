#pragma once
// The restore checkpoint: {backup}/restores/<restore id>/checkpoint.json.
//
// Written once before anything is produced: for every task (source partition with
// a single target partition) the target partition's end offset at that moment, and
// for every target topic its topic id (KIP-516) and, when repartitioned, the end
// offsets of all its partitions. Every producer a run uses is registered under
// {backup}/restores/<id>/producers/ before it produces anything.
//
// A re-run of the same restore (same id) that finds an unfinished checkpoint reads
// the target partition from target_start on: the batches written by registered
// producers are this restore's own records (acks=all, idempotent, in order: the
// first chosen records), so it skips exactly that many and maps them to where they
// are; records another producer wrote meanwhile are left alone and not counted. A
// repartitioned topic cannot be resumed that way (source partitions are mixed in
// each target partition): when records were produced into it the re-run refuses
// and names the choices. A checkpoint marked complete makes a re-run produce
// nothing, unless asked to restart or a target topic was recreated since (its
// topic id changed): then it starts over.

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

struct checkpoint_target {
    std::string topic;
    std::string topic_id;            // as Kafka prints it; empty when unknown
    std::vector<std::int64_t> ends;  // per partition, at start; repartitioned topics only
};

struct checkpoint_state {
    std::string restore_id;
    bool complete = false;
    std::vector<checkpoint_partition> partitions;
    std::vector<checkpoint_target> targets;
    // 2: its runs registered their producers. 1 (earlier versions): they did not,
    // so everything on the target since target_start is taken as theirs.
    int version = 2;

    const checkpoint_partition* find(const std::string& topic, std::int32_t partition) const;
    const checkpoint_target* target(const std::string& topic) const;
};

std::string checkpoint_key(const storage::format::backup_layout& layout, std::string_view id);
std::string serialize_checkpoint(const checkpoint_state& s);
checkpoint_state parse_checkpoint(std::string_view text);

storage::awaitable<std::optional<checkpoint_state>> load_checkpoint(
    storage::backend& b, storage::format::backup_layout layout, std::string restore_id);
// The producer ids this restore has used (any run), registered before producing.
storage::awaitable<void> register_producer(storage::backend& b,
                                           storage::format::backup_layout layout,
                                           std::string restore_id, std::int64_t producer_id);
storage::awaitable<std::vector<std::int64_t>> registered_producers(
    storage::backend& b, storage::format::backup_layout layout, std::string restore_id);

storage::awaitable<void> save_checkpoint(storage::backend& b, storage::format::backup_layout layout,
                                         checkpoint_state s);

}  // namespace kb::restore::detail
