#pragma once
// The config's storage section as the storage module's location. Lives in the
// app so that kb_config does not depend on storage.

#include <kb/config/env.hpp>
#include <kb/config/storage.hpp>
#include <kb/storage/location.hpp>

namespace kb::cli {

// Throws usage_error for a backend this build cannot open (azure, gcs, memory).
// An empty region becomes $AWS_REGION, else us-east-1; an empty endpoint
// becomes $AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL; credentials are copied
// only when the config gives them (the storage module falls back to the
// environment and the shared credentials file).
kb::storage::location to_location(const kb::config::storage_config& s,
                                  const kb::config::env_lookup& env = kb::config::process_env());

}  // namespace kb::cli
