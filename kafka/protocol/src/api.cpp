// Version tables. Ranges come from Kafka's message schemas (validVersions /
// flexibleVersions). Our minimums sit at or below Kafka 2.8's maximums and our
// maximums at or above Kafka 4.x's minimums (KIP-896), so every broker in that
// span shares at least one version with us for every API.

#include <kb/kafka/protocol/api.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::kafka::protocol {
namespace {

struct api_info {
    api_key key;
    std::string_view name;
    version_range codec;
    int16_t first_flexible;  // -1: never flexible
    int16_t client_max;      // what we offer in negotiation (<= codec.max)
    std::string_view since;  // the first Kafka release offering codec.min
};

constexpr api_info table[] = {
    {api_key::Produce, "Produce", {3, 11}, 9, 11, "0.11"},
    {api_key::Fetch, "Fetch", {4, 17}, 12, 12, "0.11"},
    {api_key::ListOffsets, "ListOffsets", {1, 10}, 6, 10, "0.10.1"},
    {api_key::Metadata, "Metadata", {1, 12}, 9, 12, "0.10.0"},
    {api_key::OffsetCommit, "OffsetCommit", {2, 9}, 8, 9, "0.9"},
    {api_key::OffsetFetch, "OffsetFetch", {1, 9}, 6, 9, "0.8.2"},
    {api_key::FindCoordinator, "FindCoordinator", {0, 6}, 3, 6, "0.9"},
    {api_key::DescribeGroups, "DescribeGroups", {0, 5}, 5, 5, "0.9"},
    {api_key::ListGroups, "ListGroups", {0, 5}, 3, 5, "0.9"},
    {api_key::SaslHandshake, "SaslHandshake", {0, 1}, -1, 1, "0.10.0"},
    {api_key::ApiVersions, "ApiVersions", {0, 4}, 3, 4, "0.10.0"},
    {api_key::CreateTopics, "CreateTopics", {2, 7}, 5, 7, "1.0"},
    {api_key::DeleteTopics, "DeleteTopics", {1, 6}, 4, 6, "0.11"},
    {api_key::DeleteRecords, "DeleteRecords", {0, 2}, 2, 2, "0.11"},
    {api_key::InitProducerId, "InitProducerId", {0, 5}, 2, 5, "0.11"},
    // ACLs: asked only when a backup or restore is told to carry them.
    {api_key::DescribeAcls, "DescribeAcls", {1, 3}, 2, 3, "2.0"},
    {api_key::CreateAcls, "CreateAcls", {1, 3}, 2, 3, "2.0"},
    {api_key::DescribeConfigs, "DescribeConfigs", {1, 4}, 4, 4, "1.1"},
    {api_key::SaslAuthenticate, "SaslAuthenticate", {0, 2}, 2, 2, "1.0"},
    {api_key::CreatePartitions, "CreatePartitions", {0, 3}, 2, 3, "1.0"},
    {api_key::OffsetDelete, "OffsetDelete", {0, 0}, -1, 0, "2.4"},
    {api_key::DescribeCluster, "DescribeCluster", {0, 1}, 0, 1, "2.8"},
    // Optional: asked only of brokers that offer it (KIP-848 groups, GA in 4.0).
    {api_key::ConsumerGroupDescribe, "ConsumerGroupDescribe", {0, 1}, 0, 1, "4.0"},
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

std::string_view kafka_release_with(api_key key) {
    const auto* info = find(key);
    return info ? info->since : std::string_view{};
}

std::string unsupported_api_reason(api_key key, std::optional<version_range> broker) {
    const version_range ours = client_range(key);
    std::string theirs = broker ? fmt::format("it offers {}..{}", broker->min, broker->max)
                                : std::string("it does not offer it at all");
    // A broker whose newest version is below our oldest is an older Kafka.
    if (!broker || broker->max < ours.min)
        return fmt::format("{} versions {}..{} that we speak ({}): Kafka {} or newer has it",
                           api_name(key), ours.min, ours.max, theirs, kafka_release_with(key));
    return fmt::format(
        "{} versions {}..{} that we speak ({}): the broker is newer than this "
        "kafka-backup knows",
        api_name(key), ours.min, ours.max, theirs);
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
