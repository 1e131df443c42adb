#pragma once
// Where an Azure container is and how to authenticate to it: the backend's
// config, the connection strings the Azure tools print
// (AZURE_STORAGE_CONNECTION_STRING, Azurite's "UseDevelopmentStorage=true"),
// account URLs (https://acct.blob.core.windows.net, Azurite's path-style
// http://127.0.0.1:10000/devstoreaccount1), and the order in which config and
// environment fill them in. Pure: the environment comes in as a function.

#include <kb/runtime/retry.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kb::storage::azure {

// Azurite's account and its publicly documented key (not a secret: every
// Azurite instance accepts it; OSO uses it the same way with use_emulator).
inline constexpr std::string_view emulator_account = "devstoreaccount1";
inline constexpr std::string_view emulator_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

struct azure_config {
    std::string account;    // storage.account_name
    std::string container;  // storage.container_name
    std::string prefix;     // root of every key, no leading or trailing '/'
    // The account's blob URL; "" -> https://{account}.blob.core.windows.net.
    std::string endpoint;
    std::string account_key;    // base64, as the portal shows it (secret)
    std::string sas_token;      // query string, leading '?' optional (secret)
    bool use_emulator = false;  // Azurite: its account, key and URL by default
    bool allow_http = false;
    std::string ca_file;
    bool verify_tls = true;
    int max_connections = 8;
    std::chrono::milliseconds request_timeout{120'000};
    std::size_t max_response_bytes = std::size_t{512} << 20;
    runtime::retry_policy retry{};
};

struct connection_string {
    std::string account, account_key, sas_token, blob_endpoint;
    std::string protocol = "https", endpoint_suffix = "core.windows.net";
    bool development_storage = false;
};

// "Key=Value;Key=Value" (keys case-insensitive, values may hold '='). Throws
// kb::error(fatal, "InvalidConnectionString") naming the bad part but no value.
connection_string parse_connection_string(std::string_view text);

// An account URL split for the connection pool and for signing.
struct account_url {
    bool tls = true;
    std::string host;
    std::uint16_t port = 443;
    std::string path;  // "" for host-style accounts, "/devstoreaccount1" for path-style

    std::string authority() const;  // host[:port], the port omitted when default
    std::string url() const;        // scheme://authority + path
};

// Throws kb::error(fatal, "InvalidEndpoint") on anything but http(s)://host[:port][/path].
account_url parse_account_url(std::string_view url);

using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

// Fills what the config leaves empty, first found wins:
//   1. the config (YAML keys or URL parameters),
//   2. AZURE_STORAGE_CONNECTION_STRING (its account, key, SAS and BlobEndpoint),
//   3. AZURE_STORAGE_ACCOUNT, AZURE_STORAGE_KEY (or AZURE_STORAGE_ACCOUNT_KEY),
//      AZURE_STORAGE_SAS_TOKEN,
//   4. with use_emulator: Azurite's account and key, and AZURITE_BLOB_STORAGE_URL
//      or http://127.0.0.1:10000 (a path-less emulator URL gets "/<account>").
// Then checks it: account, container, a credential (a SAS token wins over a
// key, as in OSO), a base64 key, an endpoint, http only when allowed. Throws
// kb::error (fatal "InvalidConfig", auth "NoCredentials") with one line that
// says what to set; never a secret.
void resolve_settings(azure_config& cfg, const env_lookup& env);

// The SAS token as sent: no leading '?', checked to be name=value pairs.
std::string normalized_sas(std::string_view sas);

}  // namespace kb::storage::azure
