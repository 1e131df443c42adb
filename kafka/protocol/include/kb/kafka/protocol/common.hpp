#pragma once
// Small structs several APIs share.

#include <kb/kafka/protocol/wire.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace kb::kafka::protocol {

// A broker address as Fetch/Produce (v16/v10+) return it alongside a leader change.
struct node_endpoint {
    int32_t node_id = -1;
    std::string host{};
    int32_t port = 0;
    std::optional<std::string> rack{};
    bool operator==(const node_endpoint&) const = default;
};

struct leader_id_and_epoch {
    int32_t leader_id = -1;
    int32_t leader_epoch = -1;
    bool operator==(const leader_id_and_epoch&) const = default;
};

// Special ListOffsets timestamps.
inline constexpr int64_t latest_timestamp = -1;
inline constexpr int64_t earliest_timestamp = -2;

}  // namespace kb::kafka::protocol
