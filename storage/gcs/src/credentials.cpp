// Where the backend's endpoint and credentials come from when the config does
// not say: the emulator variable, then Google's application default credentials.
#include <kb/storage/gcs/gcs_backend.hpp>

#include <kb/runtime/error.hpp>
#include <kb/storage/gcs/request.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace kb::storage::gcs {
namespace {

std::optional<std::string> non_empty(const env_lookup& env, const char* name) {
    auto v = env(name);
    if (v && v->empty()) return std::nullopt;
    return v;
}

// gcloud's `auth application-default login` file.
std::optional<std::string> gcloud_adc_file(const env_lookup& env) {
    std::filesystem::path dir;
    if (auto cfg = non_empty(env, "CLOUDSDK_CONFIG"))
        dir = *cfg;
    else if (auto home = non_empty(env, "HOME"))
        dir = std::filesystem::path(*home) / ".config" / "gcloud";
    else
        return std::nullopt;
    auto file = dir / "application_default_credentials.json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    return file.string();
}

}  // namespace

void resolve_environment(gcs_config& cfg, const env_lookup& env) {
    if (cfg.endpoint.empty()) {
        if (auto emu = non_empty(env, "STORAGE_EMULATOR_HOST")) {
            cfg.endpoint = emulator_url(*emu);
            cfg.anonymous = cfg.credentials_file.empty();
        }
    }
    if (cfg.anonymous || !cfg.credentials_file.empty()) return;
    if (auto file = non_empty(env, "GOOGLE_APPLICATION_CREDENTIALS")) {
        cfg.credentials_file = *file;
        return;
    }
    if (auto file = gcloud_adc_file(env)) {
        cfg.credentials_file = *file;
        return;
    }
    throw kb::error(error_class::auth, "NoCredentials",
                    fmt::format("no Google credentials for gs://{}: set "
                                "storage.service_account_path or GOOGLE_APPLICATION_CREDENTIALS "
                                "to a service-account key file (the metadata server is not "
                                "used), or STORAGE_EMULATOR_HOST for an emulator",
                                cfg.bucket));
}

void resolve_environment(gcs_config& cfg) {
    resolve_environment(cfg, [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
    });
}

}  // namespace kb::storage::gcs
