#pragma once
// A config's storage section as the storage module's location, and the backend it
// opens: the one place that translates it (kb_config does not depend on storage).

#include <kb/config/env.hpp>
#include <kb/config/storage.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/location.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace kb::connect {

// Throws config_error(unsupported, "storage.backend") for a backend this build
// cannot open (memory).
// An empty region becomes $AWS_REGION, else us-east-1; an empty endpoint
// becomes $AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL; credentials are copied
// only when the config gives them (the storage module falls back to the
// environment and the shared credentials file).
kb::storage::location to_location(const kb::config::storage_config& s,
                                  const kb::config::env_lookup& env = kb::config::process_env());

// The backend of the storage section, opened on `ex` (see kb::storage::open_backend).
std::unique_ptr<kb::storage::backend> open_storage(boost::asio::any_io_executor ex,
                                                   const kb::config::storage_config& s);

}  // namespace kb::connect
