// Version tables. Ranges come from Kafka's message schemas (validVersions /
// flexibleVersions). Our minimums sit at or below Kafka 2.8's maximums and our
// maximums at or above Kafka 4.x's minimums (KIP-896), so every broker in that
// span shares at least one version with us for every API.

#include <kb/kafka/protocol/api.hpp>

#include <algorithm>

namespace kb::kafka::protocol {
namespace {

struct api_info {
    api_key key;
    std::string_view name;
    version_range codec;
    int16_t first_flexible;  // -1: never flexible
    int16_t client_max;      // what we offer in negotiation (<= codec.max)
};

constexpr api_info table[] = {
    {api_key::Produce, "Produce", {3, 11}, 9, 11},
    {api_key::Fetch, "Fetch", {4, 17}, 12, 12},
    {api_key::ListOffsets, "ListOffsets", {1, 10}, 6, 10},
    {api_key::Metadata, "Metadata", {1, 12}, 9, 12},
    {api_key::OffsetCommit, "OffsetCommit", {2, 9}, 8, 9},
    {api_key::OffsetFetch, "OffsetFetch", {1, 9}, 6, 9},
    {api_key::FindCoordinator, "FindCoordinator", {0, 6}, 3, 6},
    {api_key::DescribeGroups, "DescribeGroups", {0, 5}, 5, 5},
    {api_key::ListGroups, "ListGroups", {0, 5}, 3, 5},
    {api_key::SaslHandshake, "SaslHandshake", {0, 1}, -1, 1},
    {api_key::ApiVersions, "ApiVersions", {0, 4}, 3, 4},
    {api_key::CreateTopics, "CreateTopics", {2, 7}, 5, 7},
    {api_key::DeleteTopics, "DeleteTopics", {1, 6}, 4, 6},
    {api_key::DeleteRecords, "DeleteRecords", {0, 2}, 2, 2},
    {api_key::InitProducerId, "InitProducerId", {0, 5}, 2, 5},
    {api_key::DescribeConfigs, "DescribeConfigs", {1, 4}, 4, 4},
    {api_key::SaslAuthenticate, "SaslAuthenticate", {0, 2}, 2, 2},
    {api_key::CreatePartitions, "CreatePartitions", {0, 3}, 2, 3},
    {api_key::OffsetDelete, "OffsetDelete", {0, 0}, -1, 0},
    {api_key::DescribeCluster, "DescribeCluster", {0, 1}, 0, 1},
};

const api_info* find(api_key key) {
    for (const auto& info : table)
        if (info.key == key) return &info;
    return nullptr;
}

}  // namespace

std::string_view api_name(api_key key) {
    const auto* info = find(key);
    return info ? info->name : "Unknown";
}

version_range codec_range(api_key key) {
    const auto* info = find(key);
    return info ? info->codec : version_range{0, -1};
}

version_range client_range(api_key key) {
    const auto* info = find(key);
    return info ? version_range{info->codec.min, info->client_max} : version_range{0, -1};
}

bool is_flexible(api_key key, int16_t version) {
    const auto* info = find(key);
    return info && info->first_flexible >= 0 && version >= info->first_flexible;
}

std::optional<int16_t> negotiate(api_key key, version_range broker) {
    const version_range ours = client_range(key);
    const int16_t hi = std::min(ours.max, broker.max);
    const int16_t lo = std::max(ours.min, broker.min);
    if (hi < lo) return std::nullopt;
    return hi;
}

}  // namespace kb::kafka::protocol
