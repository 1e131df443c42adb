#pragma once
// Fetch (key 1). The response's record sets are slices of the buffer the response
// was read into (zero copy): decode takes that owning buffer, and the reader must be
// positioned over bytes of it (any span inside `owner.bytes()`).
//
// v13+ name topics by id only; requests then need topic_id and responses carry
// topic_id with an empty name (the client maps ids back via Metadata).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/common.hpp>
#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/buffer.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct fetch_request {
    static constexpr api_key key = api_key::Fetch;
    struct partition {
        int32_t partition_index = 0;
        int32_t current_leader_epoch = -1;  // v9+
        int64_t fetch_offset = 0;
        int32_t last_fetched_epoch = -1;  // v12+
        int64_t log_start_offset = -1;    // v5+
        int32_t partition_max_bytes = 0;
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};         // v0-12
        protocol::uuid topic_id{};  // v13+
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    struct forgotten_topic {
        std::string name{};         // v7-12
        protocol::uuid topic_id{};  // v13+
        std::vector<int32_t> partitions{};
        bool operator==(const forgotten_topic&) const = default;
    };
    std::optional<std::string> cluster_id{};  // v12+ tagged
    int32_t replica_id = -1;                  // v0-14 (consumers: -1)
    int32_t max_wait_ms = 500;
    int32_t min_bytes = 1;
    int32_t max_bytes = 0x7fffffff;  // v3+
    int8_t isolation_level = 0;      // v4+: 0 read_uncommitted, 1 read_committed
    int32_t session_id = 0;          // v7+ (0 + epoch -1 = no fetch session)
    int32_t session_epoch = -1;      // v7+
    std::vector<topic> topics{};
    std::vector<forgotten_topic> forgotten_topics_data{};  // v7+
    std::string rack_id{};                                 // v11+

    void encode(writer& w, int16_t v) const;
    static fetch_request decode(reader& r, int16_t v);
    bool operator==(const fetch_request&) const = default;
};

struct fetch_response {
    struct aborted_transaction {
        int64_t producer_id = 0;
        int64_t first_offset = 0;
        bool operator==(const aborted_transaction&) const = default;
    };
    struct partition {
        int32_t partition_index = 0;
        int16_t error_code = 0;
        int64_t high_watermark = -1;
        int64_t last_stable_offset = -1;                    // v4+
        int64_t log_start_offset = -1;                      // v5+
        std::optional<leader_id_and_epoch> current_leader;  // v12+ tagged (on leader change)
        // v4+; nullopt = null array.
        std::optional<std::vector<aborted_transaction>> aborted_transactions{};
        int32_t preferred_read_replica = -1;  // v11+
        // The raw record set, a slice of the response buffer (empty for null).
        runtime::shared_buffer records{};
        bool records_null = false;
        friend bool operator==(const partition& a, const partition& b);
    };
    struct topic {
        std::string name{};         // v0-12
        protocol::uuid topic_id{};  // v13+
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v1+
    int16_t error_code = 0;        // v7+
    int32_t session_id = 0;        // v7+
    std::vector<topic> responses{};
    std::vector<node_endpoint> node_endpoints{};  // v16+ tagged

    void encode(writer& w, int16_t v) const;
    // `r` must read from inside `owner`; records become slices of `owner`.
    static fetch_response decode(reader& r, int16_t v, const runtime::shared_buffer& owner);
    bool operator==(const fetch_response&) const = default;
};

}  // namespace kb::kafka::protocol
