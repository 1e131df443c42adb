#pragma once
// Files a config or a flag names: the config itself, password files, CA and
// key files. Only regular files are read, and only up to a size limit, so
// `--config /dev/zero`, a FIFO or a directory is refused with one line instead
// of blocking, exhausting memory or reading as an empty config.
// Every error is a config_error (kind io) naming `what` (the flag or key) and
// the path.

#include <kb/config/cluster.hpp>
#include <kb/config/env.hpp>
#include <kb/config/storage.hpp>

#include <cstddef>
#include <string>

namespace kb::config {

inline constexpr std::size_t max_config_bytes = std::size_t{1} << 20;
inline constexpr std::size_t max_secret_bytes = std::size_t{64} << 10;

// The whole content of the regular file at `path`, at most `limit` bytes.
std::string read_regular_file(const std::string& path, const std::string& what, std::size_t limit);

// A password kept in a file (--sasl-password-file, security.sasl_password_file):
// the file's text without its trailing newline(s). Refuses an empty one; warns
// (does not refuse: Kubernetes mounts secrets 0644 by default) when every user
// of the machine may read it.
std::string read_secret_file(const std::string& path, const std::string& what);

// Fills the cluster's secrets that are not given directly:
//  - sasl_password / ssl_key_password / ssl_keystore_password from their
//    *_file keys (both forms of one secret is an error);
//  - under SASL (PLAIN/SCRAM), sasl_username and sasl_password from
//    KAFKA_USERNAME / KAFKA_PASSWORD when the config and flags give none (the
//    variables OSO kafka-backup's CLI reads).
// `section` names the cluster in messages ("source", "target").
void resolve_secrets(kafka_cluster& c, const std::string& section,
                     const env_lookup& env = process_env());

// Checks that the CA, certificate, key and keystore files a cluster or storage
// section names exist and are readable regular files (a config error, exit 2,
// rather than a TLS failure after work has started).
void check_named_files(const kafka_cluster& c, const std::string& section);
void check_named_files(const storage_config& s);

}  // namespace kb::config
