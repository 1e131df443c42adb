#include <kb/config/error.hpp>
#include <kb/config/files.hpp>
#include <kb/runtime/echo.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace kb::config {
namespace {

using runtime::echo;

[[noreturn]] void io_error(const std::string& what, const std::string& message,
                           std::string hint = {}) {
    throw config_error(config_errc::io, what, message, std::move(hint));
}

// Closes the descriptor whatever happens.
struct file_descriptor {
    int fd = -1;
    ~file_descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

std::string size_text(std::uint64_t n) {
    if (n >= (1u << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1u << 20));
    if (n >= (1u << 10)) return fmt::format("{:.1f} KiB", static_cast<double>(n) / (1u << 10));
    return fmt::format("{} bytes", n);
}

// Refuses what is not a regular file of at most `limit` bytes.
void check_kind(const struct stat& st, const std::string& path, const std::string& what,
                std::size_t limit) {
    if (S_ISDIR(st.st_mode))
        io_error(what, fmt::format("{} {} is a directory, not a file", what, echo(path)),
                 "give the path of a file");
    if (!S_ISREG(st.st_mode))
        io_error(
            what,
            fmt::format("{} {} is not a regular file (a device, FIFO or socket)", what, echo(path)),
            "give the path of an ordinary file");
    if (static_cast<std::uint64_t>(st.st_size) > limit)
        io_error(what,
                 fmt::format("{} {} is {}; at most {} is read", what, echo(path),
                             size_text(static_cast<std::uint64_t>(st.st_size)), size_text(limit)));
}

int open_for_reading(const std::string& path, const std::string& what) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it.
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        io_error(what, fmt::format("cannot read {} {}: {}", what, echo(path), std::strerror(err)),
                 "check the path given to " + what);
    }
    return fd;
}

std::string read_capped(int fd, const std::string& path, const std::string& what,
                        std::size_t limit) {
    std::string out;
    char buf[65536];
    for (;;) {
        auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            io_error(what,
                     fmt::format("cannot read {} {}: {}", what, echo(path), std::strerror(err)));
        }
        if (n == 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
        // A file that grows while read (or a /proc file that reports size 0).
        if (out.size() > limit)
            io_error(what,
                     fmt::format("{} {} is larger than {}", what, echo(path), size_text(limit)));
    }
}

std::string without_trailing_newlines(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// `field` from `file_field` when only the file is given; both is an error.
void secret_from_file(std::optional<std::string>& field, std::optional<std::string>& file_field,
                      const std::string& key, const std::string& file_key) {
    if (!file_field) return;
    if (field)
        throw config_error(config_errc::invalid_value, file_key,
                           "both '" + key + "' and '" + file_key + "' are set", "keep one of them");
    field = read_secret_file(*file_field, file_key);
    file_field.reset();
}

void check_one(const std::optional<std::string>& path, const std::string& key) {
    if (!path || path->empty()) return;
    file_descriptor f{open_for_reading(*path, key)};
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) io_error(key, "cannot stat " + key + " " + echo(*path));
    // Certificates and keys are small; a bundle of every public CA is ~250 KiB.
    check_kind(st, *path, key, std::size_t{16} << 20);
}

}  // namespace

std::string read_regular_file(const std::string& path, const std::string& what, std::size_t limit) {
    file_descriptor f{open_for_reading(path, what)};
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) {
        int err = errno;
        io_error(what, fmt::format("cannot stat {} {}: {}", what, echo(path), std::strerror(err)));
    }
    check_kind(st, path, what, limit);
    return read_capped(f.fd, path, what, limit);
}

std::string read_secret_file(const std::string& path, const std::string& what) {
    std::string text = without_trailing_newlines(read_regular_file(path, what, max_secret_bytes));
    if (text.empty())
        io_error(what, fmt::format("{} {} is empty", what, echo(path)),
                 "write the password into it (a trailing newline is dropped)");
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IROTH))
        kb::log::warn("config",
                      "{} {} is readable by every user of this machine (mode {:04o}); "
                      "chmod o-r it",
                      what, echo(path), st.st_mode & 07777);
    return text;
}

void resolve_secrets(kafka_cluster& c, const std::string& section, const env_lookup& env) {
    auto& s = c.security;
    std::string at = section + ".security.";
    secret_from_file(s.sasl_password, s.sasl_password_file, at + "sasl_password",
                     at + "sasl_password_file");
    secret_from_file(s.ssl_key_password, s.ssl_key_password_file, at + "ssl_key_password",
                     at + "ssl_key_password_file");
    secret_from_file(s.ssl_keystore_password, s.ssl_keystore_password_file,
                     at + "ssl_keystore_password", at + "ssl_keystore_password_file");
    if (!s.uses_sasl() || s.mechanism == sasl_mechanism::gssapi) return;
    if (!s.sasl_username)
        if (auto v = env("KAFKA_USERNAME"); v && !v->empty()) s.sasl_username = *v;
    if (!s.sasl_password)
        if (auto v = env("KAFKA_PASSWORD"); v && !v->empty()) s.sasl_password = *v;
}

void check_named_files(const kafka_cluster& c, const std::string& section) {
    const auto& s = c.security;
    if (!s.uses_tls()) return;  // the files are not used
    std::string at = section + ".security.";
    check_one(s.ssl_ca_location, at + "ssl_ca_location");
    check_one(s.ssl_certificate_location, at + "ssl_certificate_location");
    check_one(s.ssl_key_location, at + "ssl_key_location");
    check_one(s.ssl_keystore_location, at + "ssl_keystore_location");
}

void check_named_files(const storage_config& s) {
    if (s.backend != storage_backend::s3) return;
    check_one(s.ssl_ca_location, "storage.ssl_ca_location");
}

}  // namespace kb::config
