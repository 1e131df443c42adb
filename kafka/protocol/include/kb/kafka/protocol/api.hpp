#pragma once
// The Kafka APIs we speak and the version ranges we implement. Negotiation picks the
// highest version both we and the broker support, so one binary talks to Kafka 2.8
// (which lacks newer versions) and 4.x (which dropped the oldest, KIP-896).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::kafka::protocol {

enum class api_key : int16_t {
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    DescribeGroups = 15,
    ListGroups = 16,
    SaslHandshake = 17,
    ApiVersions = 18,
    CreateTopics = 19,
    DeleteTopics = 20,
    DeleteRecords = 21,
    InitProducerId = 22,
    DescribeAcls = 29,
    CreateAcls = 30,
    DescribeConfigs = 32,
    SaslAuthenticate = 36,
    CreatePartitions = 37,
    OffsetDelete = 47,
    DescribeCluster = 60,
    ConsumerGroupDescribe = 69,
};

struct version_range {
    int16_t min = 0;
    int16_t max = -1;  // max < min means "not supported"
    bool contains(int16_t v) const noexcept { return v >= min && v <= max; }
    bool empty() const noexcept { return max < min; }
    bool operator==(const version_range&) const = default;
};

// Every API this library knows, in api_key order.
inline constexpr api_key all_api_keys[] = {
    api_key::Produce,
    api_key::Fetch,
    api_key::ListOffsets,
    api_key::Metadata,
    api_key::OffsetCommit,
    api_key::OffsetFetch,
    api_key::FindCoordinator,
    api_key::DescribeGroups,
    api_key::ListGroups,
    api_key::SaslHandshake,
    api_key::ApiVersions,
    api_key::CreateTopics,
    api_key::DeleteTopics,
    api_key::DeleteRecords,
    api_key::InitProducerId,
    api_key::DescribeAcls,
    api_key::CreateAcls,
    api_key::DescribeConfigs,
    api_key::SaslAuthenticate,
    api_key::CreatePartitions,
    api_key::OffsetDelete,
    api_key::DescribeCluster,
    api_key::ConsumerGroupDescribe,
};

std::string_view api_name(api_key key);

// Versions the encoders/decoders handle (tests round-trip every one of them).
version_range codec_range(api_key key);

// Versions the client offers in negotiation: codec_range, except where a newer
// version changes semantics the client does not use (Fetch >= 13 names topics by id
// only, so we offer Fetch up to 12, which every broker from 2.8 to 4.x accepts).
version_range client_range(api_key key);

// The first Kafka release that offers the oldest version of `key` we speak ("2.4" for
// OffsetDelete), so an error for an older broker can say what it would take.
std::string_view kafka_release_with(api_key key);

// Why negotiate(key, broker) found no version, for an error line: the versions each side
// speaks and, when the broker is older than we are, the Kafka release it would take.
// `broker` is nullopt when the broker does not offer the API at all.
std::string unsupported_api_reason(api_key key, std::optional<version_range> broker);

// Whether `version` of `key` uses the flexible (compact + tagged fields) encoding.
bool is_flexible(api_key key, int16_t version);

// The highest version in client_range(key) ∩ broker, or nullopt when they do not overlap.
std::optional<int16_t> negotiate(api_key key, version_range broker);

}  // namespace kb::kafka::protocol
