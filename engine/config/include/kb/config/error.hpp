#pragma once
// The one error type of the config module. Every message names the key (as a
// dotted path, e.g. "source.security.sasl_mechanism") and, when the key came
// from a file, the file and line, so the operator can go straight to it.

#include <stdexcept>
#include <string>

namespace kb::config {

// What kind of mistake, so callers (the CLI) can add the right advice.
enum class config_errc {
    syntax,         // not valid YAML, duplicate key
    unknown_key,    // a key the schema does not have
    missing_key,    // a required key is absent
    wrong_type,     // e.g. text where a number belongs
    invalid_value,  // right type, unacceptable value (range, enum, contradiction)
    environment,    // ${VAR} unset and without default
    io,             // the file cannot be read
    unsupported,    // a known (OSO) key with a value kafka-backup does not serve yet
};

class config_error : public std::runtime_error {
  public:
    // `message` says what is wrong ("file.yaml:4: unknown key 'source.x'");
    // `hint` says what to do ("did you mean 'bootstrap_servers'?"). what()
    // joins them with an em dash.
    config_error(config_errc kind, std::string key, std::string message, std::string hint = {});

    config_errc kind() const noexcept { return kind_; }
    const std::string& key() const noexcept { return key_; }
    const std::string& message() const noexcept { return message_; }
    const std::string& hint() const noexcept { return hint_; }

  private:
    config_errc kind_;
    std::string key_;
    std::string message_;
    std::string hint_;
};

}  // namespace kb::config
