#include "s3_env.hpp"

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace kb::s3test {
namespace {

std::string required(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0')
        throw std::runtime_error(fmt::format(
            "S3 integration tests need the environment variable {}: run "
            "eval \"$(scripts/env.sh up)\" first (it sets S3_ENDPOINT, AWS_ACCESS_KEY_ID, "
            "AWS_SECRET_ACCESS_KEY, AWS_REGION and KB_TEST_BUCKET)",
            name));
    return v;
}

}  // namespace

const minio_env& env() {
    static const minio_env e = [] {
        minio_env m;
        m.endpoint = required("S3_ENDPOINT");
        m.access_key = required("AWS_ACCESS_KEY_ID");
        m.secret_key = required("AWS_SECRET_ACCESS_KEY");
        m.region = required("AWS_REGION");
        m.bucket = required("KB_TEST_BUCKET");
        const char* cli = std::getenv("KB_AWS_CLI");
        m.aws_cli = cli != nullptr && *cli != '\0' ? cli : "/usr/bin/aws";
        return m;
    }();
    return e;
}

const std::string& run_prefix() {
    static const std::string p =
        fmt::format("s3-it/{}-{}", ::getpid(),
                    std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count());
    return p;
}

storage::s3::s3_config minio_config() {
    const auto& e = env();
    storage::s3::s3_config c;
    c.bucket = e.bucket;
    c.prefix = run_prefix();
    c.region = e.region;
    c.endpoint = e.endpoint;
    c.path_style = true;
    c.allow_http = true;
    c.access_key = e.access_key;
    c.secret_key = e.secret_key;
    c.request_timeout = std::chrono::seconds(60);
    c.retry = runtime::retry_policy{.max_attempts = 4,
                                    .initial_backoff = std::chrono::milliseconds(50),
                                    .max_backoff = std::chrono::milliseconds(400),
                                    .deadline = std::chrono::seconds(20)};
    return c;
}

harness::harness(storage::s3::s3_config cfg)
    : backend_(storage::s3::make_s3_backend(io_.get_executor(), std::move(cfg))) {}

std::vector<std::byte> random_bytes(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::byte> out(n);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        auto v = rng();
        std::memcpy(out.data() + i, &v, 8);
    }
    for (; i < n; ++i) out[i] = static_cast<std::byte>(rng());
    return out;
}

runtime::shared_buffer as_buffer(std::vector<std::byte> bytes) {
    return runtime::shared_buffer::adopt(std::move(bytes));
}

int shell(const std::string& command, std::string* out) {
    // The credentials come from the inherited environment, not the command line.
    auto full = fmt::format("AWS_EC2_METADATA_DISABLED=true {} 2>&1", command);
    FILE* p = ::popen(full.c_str(), "r");
    if (p == nullptr) throw std::runtime_error("popen failed for: " + command);
    std::string text;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
    int status = ::pclose(p);
    if (out != nullptr) *out = std::move(text);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int aws_status(const std::string& args, std::string* out) {
    return shell(fmt::format("{} --endpoint-url {} {}", env().aws_cli, env().endpoint, args), out);
}

std::string aws(const std::string& args) {
    std::string out;
    int rc = aws_status(args, &out);
    if (rc != 0) BOOST_FAIL("aws " << args << " exited with " << rc << ": " << out);
    return out;
}

std::string temp_path(const std::string& name) {
    return fmt::format("/tmp/kb-s3-it-{}-{}", ::getpid(), name);
}

void write_file(const std::string& path, const std::vector<std::byte>& bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    if (!f) throw std::runtime_error("cannot write " + path);
}

std::vector<std::byte> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::vector<char> chars((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<std::byte> out(chars.size());
    std::memcpy(out.data(), chars.data(), chars.size());
    return out;
}

}  // namespace kb::s3test
