#pragma once
// Temporary config files and enum printing for the CLI tests.

#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <string>
#include <type_traits>

namespace kb::cli {
template <class E>
requires std::is_enum_v<E> std::ostream& operator<<(std::ostream& os, E e) {
    return os << static_cast<int>(e);
}
}  // namespace kb::cli
namespace kb::config {
template <class E>
requires std::is_enum_v<E> std::ostream& operator<<(std::ostream& os, E e) {
    return os << static_cast<int>(e);
}
}  // namespace kb::config

namespace kbt {

// A YAML file that is removed when the object goes out of scope.
class temp_config {
  public:
    explicit temp_config(const std::string& yaml) {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("kb-cli-test-" + std::to_string(rd()) + ".yaml");
        std::ofstream(path_) << yaml;
    }
    ~temp_config() { std::filesystem::remove(path_); }
    std::string path() const { return path_.string(); }

  private:
    std::filesystem::path path_;
};

}  // namespace kbt
