// Kafka error codes: names and classification. The classification follows the
// Java client's exception hierarchy (RetriableException / InvalidMetadataException),
// with coordinator errors counted as "needs metadata" since the fix is a new lookup.

#include <kb/kafka/protocol/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace kb::kafka::protocol {
namespace {

struct error_entry {
    int16_t code;
    std::string_view name;
};

constexpr error_entry names[] = {
    {-1, "UNKNOWN_SERVER_ERROR"},
    {0, "NONE"},
    {1, "OFFSET_OUT_OF_RANGE"},
    {2, "CORRUPT_MESSAGE"},
    {3, "UNKNOWN_TOPIC_OR_PARTITION"},
    {4, "INVALID_FETCH_SIZE"},
    {5, "LEADER_NOT_AVAILABLE"},
    {6, "NOT_LEADER_OR_FOLLOWER"},
    {7, "REQUEST_TIMED_OUT"},
    {8, "BROKER_NOT_AVAILABLE"},
    {9, "REPLICA_NOT_AVAILABLE"},
    {10, "MESSAGE_TOO_LARGE"},
    {11, "STALE_CONTROLLER_EPOCH"},
    {12, "OFFSET_METADATA_TOO_LARGE"},
    {13, "NETWORK_EXCEPTION"},
    {14, "COORDINATOR_LOAD_IN_PROGRESS"},
    {15, "COORDINATOR_NOT_AVAILABLE"},
    {16, "NOT_COORDINATOR"},
    {17, "INVALID_TOPIC_EXCEPTION"},
    {18, "RECORD_LIST_TOO_LARGE"},
    {19, "NOT_ENOUGH_REPLICAS"},
    {20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND"},
    {21, "INVALID_REQUIRED_ACKS"},
    {22, "ILLEGAL_GENERATION"},
    {23, "INCONSISTENT_GROUP_PROTOCOL"},
    {24, "INVALID_GROUP_ID"},
    {25, "UNKNOWN_MEMBER_ID"},
    {26, "INVALID_SESSION_TIMEOUT"},
    {27, "REBALANCE_IN_PROGRESS"},
    {28, "INVALID_COMMIT_OFFSET_SIZE"},
    {29, "TOPIC_AUTHORIZATION_FAILED"},
    {30, "GROUP_AUTHORIZATION_FAILED"},
    {31, "CLUSTER_AUTHORIZATION_FAILED"},
    {32, "INVALID_TIMESTAMP"},
    {33, "UNSUPPORTED_SASL_MECHANISM"},
    {34, "ILLEGAL_SASL_STATE"},
    {35, "UNSUPPORTED_VERSION"},
    {36, "TOPIC_ALREADY_EXISTS"},
    {37, "INVALID_PARTITIONS"},
    {38, "INVALID_REPLICATION_FACTOR"},
    {39, "INVALID_REPLICA_ASSIGNMENT"},
    {40, "INVALID_CONFIG"},
    {41, "NOT_CONTROLLER"},
    {42, "INVALID_REQUEST"},
    {43, "UNSUPPORTED_FOR_MESSAGE_FORMAT"},
    {44, "POLICY_VIOLATION"},
    {45, "OUT_OF_ORDER_SEQUENCE_NUMBER"},
    {46, "DUPLICATE_SEQUENCE_NUMBER"},
    {47, "INVALID_PRODUCER_EPOCH"},
    {48, "INVALID_TXN_STATE"},
    {49, "INVALID_PRODUCER_ID_MAPPING"},
    {50, "INVALID_TRANSACTION_TIMEOUT"},
    {51, "CONCURRENT_TRANSACTIONS"},
    {52, "TRANSACTION_COORDINATOR_FENCED"},
    {53, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED"},
    {54, "SECURITY_DISABLED"},
    {55, "OPERATION_NOT_ATTEMPTED"},
    {56, "KAFKA_STORAGE_ERROR"},
    {57, "LOG_DIR_NOT_FOUND"},
    {58, "SASL_AUTHENTICATION_FAILED"},
    {59, "UNKNOWN_PRODUCER_ID"},
    {60, "REASSIGNMENT_IN_PROGRESS"},
    {61, "DELEGATION_TOKEN_AUTH_DISABLED"},
    {62, "DELEGATION_TOKEN_NOT_FOUND"},
    {63, "DELEGATION_TOKEN_OWNER_MISMATCH"},
    {64, "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED"},
    {65, "DELEGATION_TOKEN_AUTHORIZATION_FAILED"},
    {66, "DELEGATION_TOKEN_EXPIRED"},
    {67, "INVALID_PRINCIPAL_TYPE"},
    {68, "NON_EMPTY_GROUP"},
    {69, "GROUP_ID_NOT_FOUND"},
    {70, "FETCH_SESSION_ID_NOT_FOUND"},
    {71, "INVALID_FETCH_SESSION_EPOCH"},
    {72, "LISTENER_NOT_FOUND"},
    {73, "TOPIC_DELETION_DISABLED"},
    {74, "FENCED_LEADER_EPOCH"},
    {75, "UNKNOWN_LEADER_EPOCH"},
    {76, "UNSUPPORTED_COMPRESSION_TYPE"},
    {77, "STALE_BROKER_EPOCH"},
    {78, "OFFSET_NOT_AVAILABLE"},
    {79, "MEMBER_ID_REQUIRED"},
    {80, "PREFERRED_LEADER_NOT_AVAILABLE"},
    {81, "GROUP_MAX_SIZE_REACHED"},
    {82, "FENCED_INSTANCE_ID"},
    {83, "ELIGIBLE_LEADERS_NOT_AVAILABLE"},
    {84, "ELECTION_NOT_NEEDED"},
    {85, "NO_REASSIGNMENT_IN_PROGRESS"},
    {86, "GROUP_SUBSCRIBED_TO_TOPIC"},
    {87, "INVALID_RECORD"},
    {88, "UNSTABLE_OFFSET_COMMIT"},
    {89, "THROTTLING_QUOTA_EXCEEDED"},
    {90, "PRODUCER_FENCED"},
    {91, "RESOURCE_NOT_FOUND"},
    {92, "DUPLICATE_RESOURCE"},
    {93, "UNACCEPTABLE_CREDENTIAL"},
    {94, "INCONSISTENT_VOTER_SET"},
    {95, "INVALID_UPDATE_VERSION"},
    {96, "FEATURE_UPDATE_FAILED"},
    {97, "PRINCIPAL_DESERIALIZATION_FAILURE"},
    {98, "SNAPSHOT_NOT_FOUND"},
    {100, "UNKNOWN_TOPIC_ID"},
    {101, "DUPLICATE_BROKER_REGISTRATION"},
    {102, "BROKER_ID_NOT_REGISTERED"},
    {103, "INCONSISTENT_TOPIC_ID"},
    {104, "INCONSISTENT_CLUSTER_ID"},
    {105, "TRANSACTIONAL_ID_NOT_FOUND"},
    {106, "FETCH_SESSION_TOPIC_ID_ERROR"},
    {107, "INELIGIBLE_REPLICA"},
    {108, "NEW_LEADER_ELECTED"},
    {109, "OFFSET_MOVED_TO_TIERED_STORAGE"},
    {110, "FENCED_MEMBER_EPOCH"},
    {111, "UNRELEASED_INSTANCE_ID"},
    {112, "UNSUPPORTED_ASSIGNOR"},
    {113, "STALE_MEMBER_EPOCH"},
    {114, "MISMATCHED_ENDPOINT_TYPE"},
    {115, "UNSUPPORTED_ENDPOINT_TYPE"},
    {116, "UNKNOWN_CONTROLLER_ID"},
    {117, "UNKNOWN_SUBSCRIPTION_ID"},
    {118, "TELEMETRY_TOO_LARGE"},
    {119, "INVALID_REGISTRATION"},
    {120, "TRANSACTION_ABORTABLE"},
    {121, "INVALID_RECORD_STATE"},
    {122, "SHARE_SESSION_NOT_FOUND"},
    {123, "INVALID_SHARE_SESSION_EPOCH"},
    {124, "FENCED_STATE_EPOCH"},
    {125, "INVALID_VOTER_KEY"},
    {126, "DUPLICATE_VOTER"},
    {127, "VOTER_NOT_FOUND"},
    {128, "INVALID_REGULAR_EXPRESSION"},
    {129, "REBOOTSTRAP_REQUIRED"},
};

constexpr int16_t needs_metadata_codes[] = {
    err::unknown_topic_or_partition,
    err::leader_not_available,
    err::not_leader_or_follower,
    err::broker_not_available,
    err::replica_not_available,
    err::network_exception,
    err::coordinator_not_available,
    err::not_coordinator,
    err::kafka_storage_error,
    err::listener_not_found,
    err::fenced_leader_epoch,
    err::unknown_leader_epoch,
    err::preferred_leader_not_available,
    err::eligible_leaders_not_available,
    err::unknown_topic_id,
    err::inconsistent_topic_id,
    err::new_leader_elected,
    err::rebootstrap_required,
};

constexpr int16_t retriable_codes[] = {
    err::corrupt_message,
    err::request_timed_out,
    err::coordinator_load_in_progress,
    err::not_enough_replicas,
    err::not_enough_replicas_after_append,
    err::not_controller,
    err::concurrent_transactions,
    err::fetch_session_id_not_found,
    err::invalid_fetch_session_epoch,
    err::offset_not_available,
    err::unstable_offset_commit,
    err::throttling_quota_exceeded,
    err::fetch_session_topic_id_error,
    err::share_session_not_found,
    err::invalid_share_session_epoch,
    err::rebalance_in_progress,
};

constexpr int16_t auth_codes[] = {
    err::topic_authorization_failed,
    err::group_authorization_failed,
    err::cluster_authorization_failed,
    err::unsupported_sasl_mechanism,
    err::illegal_sasl_state,
    err::transactional_id_authorization_failed,
    err::sasl_authentication_failed,
    err::delegation_token_authorization_failed,
    err::security_disabled,
};

template <std::size_t N>
bool contains(const int16_t (&codes)[N], int16_t code) {
    return std::find(std::begin(codes), std::end(codes), code) != std::end(codes);
}

}  // namespace

error_kind classify_error(int16_t code) {
    if (code == err::none) return error_kind::none;
    if (contains(needs_metadata_codes, code)) return error_kind::needs_metadata;
    if (contains(retriable_codes, code)) return error_kind::retriable;
    return error_kind::fatal;
}

std::string_view error_name(int16_t code) {
    for (const auto& e : names)
        if (e.code == code) return e.name;
    return "UNKNOWN_ERROR_CODE";
}

bool is_auth_error(int16_t code) {
    return contains(auth_codes, code);
}

kb::reason error_reason(int16_t code) {
    switch (code) {
        case err::unknown_topic_or_partition:
            return kb::reason::topic_unknown;
        case err::non_empty_group:
            return kb::reason::group_active;
        case err::sasl_authentication_failed:
            return kb::reason::sasl_failed;
        default:
            return kb::reason::unspecified;
    }
}

kb::error make_error(int16_t code, std::string_view context, std::string_view message) {
    error_class cls = error_class::fatal;
    if (is_auth_error(code)) {
        cls = error_class::auth;
    } else if (code == err::unknown_topic_or_partition || code == err::unknown_topic_id ||
               code == err::group_id_not_found) {
        cls = error_class::not_found;
    } else if (classify_error(code) != error_kind::fatal) {
        cls = error_class::retryable;
    }
    std::string text = fmt::format("{}: Kafka error {} ({})", context, error_name(code), code);
    if (!message.empty()) text += fmt::format(": {}", message);
    return kb::error(cls, std::string(error_name(code)), text, error_reason(code));
}

}  // namespace kb::kafka::protocol
