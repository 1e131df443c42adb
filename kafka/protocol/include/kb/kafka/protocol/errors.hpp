#pragma once
// Kafka error codes: names for all of them, and a classification that tells the
// client whether to retry, refresh metadata first, or give up.

#include <kb/runtime/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace kb::kafka::protocol {

enum class error_kind {
    none,            // code 0
    retriable,       // try the same request again after a backoff
    needs_metadata,  // refresh metadata (leader moved / unknown) and then retry
    fatal,           // retrying will not help
};

error_kind classify_error(int16_t code);
// Kafka's upper-case name ("NOT_LEADER_OR_FOLLOWER"); "UNKNOWN_ERROR_CODE" for codes we do not
// know.
std::string_view error_name(int16_t code);
// Whether the code means missing / wrong credentials or ACLs.
bool is_auth_error(int16_t code);
// The condition callers act on: UNKNOWN_TOPIC_OR_PARTITION -> topic_unknown,
// NON_EMPTY_GROUP -> group_active, SASL_AUTHENTICATION_FAILED -> sasl_failed.
kb::reason error_reason(int16_t code);

// A kb::error for a Kafka error code: code() is the Kafka name, why() error_reason(code);
// the class follows classify_error (auth errors -> auth, unknown topic -> not_found,
// retriable -> retryable).
kb::error make_error(int16_t code, std::string_view context, std::string_view message = {});

namespace err {
inline constexpr int16_t unknown_server_error = -1;
inline constexpr int16_t none = 0;
inline constexpr int16_t offset_out_of_range = 1;
inline constexpr int16_t corrupt_message = 2;
inline constexpr int16_t unknown_topic_or_partition = 3;
inline constexpr int16_t invalid_fetch_size = 4;
inline constexpr int16_t leader_not_available = 5;
inline constexpr int16_t not_leader_or_follower = 6;
inline constexpr int16_t request_timed_out = 7;
inline constexpr int16_t broker_not_available = 8;
inline constexpr int16_t replica_not_available = 9;
inline constexpr int16_t message_too_large = 10;
inline constexpr int16_t stale_controller_epoch = 11;
inline constexpr int16_t offset_metadata_too_large = 12;
inline constexpr int16_t network_exception = 13;
inline constexpr int16_t coordinator_load_in_progress = 14;
inline constexpr int16_t coordinator_not_available = 15;
inline constexpr int16_t not_coordinator = 16;
inline constexpr int16_t invalid_topic_exception = 17;
inline constexpr int16_t record_list_too_large = 18;
inline constexpr int16_t not_enough_replicas = 19;
inline constexpr int16_t not_enough_replicas_after_append = 20;
inline constexpr int16_t invalid_required_acks = 21;
inline constexpr int16_t illegal_generation = 22;
inline constexpr int16_t inconsistent_group_protocol = 23;
inline constexpr int16_t invalid_group_id = 24;
inline constexpr int16_t unknown_member_id = 25;
inline constexpr int16_t invalid_session_timeout = 26;
inline constexpr int16_t rebalance_in_progress = 27;
inline constexpr int16_t invalid_commit_offset_size = 28;
inline constexpr int16_t topic_authorization_failed = 29;
inline constexpr int16_t group_authorization_failed = 30;
inline constexpr int16_t cluster_authorization_failed = 31;
inline constexpr int16_t invalid_timestamp = 32;
inline constexpr int16_t unsupported_sasl_mechanism = 33;
inline constexpr int16_t illegal_sasl_state = 34;
inline constexpr int16_t unsupported_version = 35;
inline constexpr int16_t topic_already_exists = 36;
inline constexpr int16_t invalid_partitions = 37;
inline constexpr int16_t invalid_replication_factor = 38;
inline constexpr int16_t invalid_replica_assignment = 39;
inline constexpr int16_t invalid_config = 40;
inline constexpr int16_t not_controller = 41;
inline constexpr int16_t invalid_request = 42;
inline constexpr int16_t unsupported_for_message_format = 43;
inline constexpr int16_t policy_violation = 44;
inline constexpr int16_t out_of_order_sequence_number = 45;
inline constexpr int16_t duplicate_sequence_number = 46;
inline constexpr int16_t invalid_producer_epoch = 47;
inline constexpr int16_t invalid_txn_state = 48;
inline constexpr int16_t invalid_producer_id_mapping = 49;
inline constexpr int16_t invalid_transaction_timeout = 50;
inline constexpr int16_t concurrent_transactions = 51;
inline constexpr int16_t transaction_coordinator_fenced = 52;
inline constexpr int16_t transactional_id_authorization_failed = 53;
inline constexpr int16_t security_disabled = 54;
inline constexpr int16_t operation_not_attempted = 55;
inline constexpr int16_t kafka_storage_error = 56;
inline constexpr int16_t log_dir_not_found = 57;
inline constexpr int16_t sasl_authentication_failed = 58;
inline constexpr int16_t unknown_producer_id = 59;
inline constexpr int16_t reassignment_in_progress = 60;
inline constexpr int16_t delegation_token_auth_disabled = 61;
inline constexpr int16_t delegation_token_not_found = 62;
inline constexpr int16_t delegation_token_owner_mismatch = 63;
inline constexpr int16_t delegation_token_request_not_allowed = 64;
inline constexpr int16_t delegation_token_authorization_failed = 65;
inline constexpr int16_t delegation_token_expired = 66;
inline constexpr int16_t invalid_principal_type = 67;
inline constexpr int16_t non_empty_group = 68;
inline constexpr int16_t group_id_not_found = 69;
inline constexpr int16_t fetch_session_id_not_found = 70;
inline constexpr int16_t invalid_fetch_session_epoch = 71;
inline constexpr int16_t listener_not_found = 72;
inline constexpr int16_t topic_deletion_disabled = 73;
inline constexpr int16_t fenced_leader_epoch = 74;
inline constexpr int16_t unknown_leader_epoch = 75;
inline constexpr int16_t unsupported_compression_type = 76;
inline constexpr int16_t stale_broker_epoch = 77;
inline constexpr int16_t offset_not_available = 78;
inline constexpr int16_t member_id_required = 79;
inline constexpr int16_t preferred_leader_not_available = 80;
inline constexpr int16_t group_max_size_reached = 81;
inline constexpr int16_t fenced_instance_id = 82;
inline constexpr int16_t eligible_leaders_not_available = 83;
inline constexpr int16_t election_not_needed = 84;
inline constexpr int16_t no_reassignment_in_progress = 85;
inline constexpr int16_t group_subscribed_to_topic = 86;
inline constexpr int16_t invalid_record = 87;
inline constexpr int16_t unstable_offset_commit = 88;
inline constexpr int16_t throttling_quota_exceeded = 89;
inline constexpr int16_t producer_fenced = 90;
inline constexpr int16_t resource_not_found = 91;
inline constexpr int16_t duplicate_resource = 92;
inline constexpr int16_t unacceptable_credential = 93;
inline constexpr int16_t inconsistent_voter_set = 94;
inline constexpr int16_t invalid_update_version = 95;
inline constexpr int16_t feature_update_failed = 96;
inline constexpr int16_t principal_deserialization_failure = 97;
inline constexpr int16_t snapshot_not_found = 98;
inline constexpr int16_t unknown_topic_id = 100;
inline constexpr int16_t duplicate_broker_registration = 101;
inline constexpr int16_t broker_id_not_registered = 102;
inline constexpr int16_t inconsistent_topic_id = 103;
inline constexpr int16_t inconsistent_cluster_id = 104;
inline constexpr int16_t transactional_id_not_found = 105;
inline constexpr int16_t fetch_session_topic_id_error = 106;
inline constexpr int16_t ineligible_replica = 107;
inline constexpr int16_t new_leader_elected = 108;
inline constexpr int16_t offset_moved_to_tiered_storage = 109;
inline constexpr int16_t fenced_member_epoch = 110;
inline constexpr int16_t unreleased_instance_id = 111;
inline constexpr int16_t unsupported_assignor = 112;
inline constexpr int16_t stale_member_epoch = 113;
inline constexpr int16_t mismatched_endpoint_type = 114;
inline constexpr int16_t unsupported_endpoint_type = 115;
inline constexpr int16_t unknown_controller_id = 116;
inline constexpr int16_t unknown_subscription_id = 117;
inline constexpr int16_t telemetry_too_large = 118;
inline constexpr int16_t invalid_registration = 119;
inline constexpr int16_t transaction_abortable = 120;
inline constexpr int16_t invalid_record_state = 121;
inline constexpr int16_t share_session_not_found = 122;
inline constexpr int16_t invalid_share_session_epoch = 123;
inline constexpr int16_t fenced_state_epoch = 124;
inline constexpr int16_t invalid_voter_key = 125;
inline constexpr int16_t duplicate_voter = 126;
inline constexpr int16_t voter_not_found = 127;
inline constexpr int16_t invalid_regular_expression = 128;
inline constexpr int16_t rebootstrap_required = 129;
}  // namespace err

}  // namespace kb::kafka::protocol
