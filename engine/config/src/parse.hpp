#pragma once
// One function per config section; each reads its keys and calls finish().

#include "reader.hpp"

#include <kb/config/config.hpp>

namespace kb::config::detail {

kafka_cluster parse_cluster(reader& r);
storage_config parse_storage(reader& r);
backup_options parse_backup(reader& r);
restore_options parse_restore(reader& r);

}  // namespace kb::config::detail
