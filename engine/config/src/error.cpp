#include <kb/config/error.hpp>

namespace kb::config {
namespace {
std::string joined(const std::string& message, const std::string& hint) {
    return hint.empty() ? message : message + " \u2014 " + hint;
}
}  // namespace

config_error::config_error(config_errc kind, std::string key, std::string message, std::string hint)
    : std::runtime_error(joined(message, hint)),
      kind_(kind),
      key_(std::move(key)),
      message_(std::move(message)),
      hint_(std::move(hint)) {}

}  // namespace kb::config
