#pragma once
// What the S3 integration tests share: the MinIO settings from scripts/env.sh,
// a backend on a private io_context with a way to run its awaitables to
// completion, random test data, and awscli as the independent client.

#include <kb/storage/s3/s3_backend.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kb::s3test {

// From `eval "$(scripts/env.sh up)"`. Throws, failing the test, when a variable is missing.
struct minio_env {
    std::string endpoint;  // S3_ENDPOINT
    std::string access_key, secret_key, region, bucket;
    std::string aws_cli;  // KB_AWS_CLI or /usr/bin/aws
};
const minio_env& env();

// A config for the shared MinIO with a short retry policy, rooted at a per-run prefix.
storage::s3::s3_config minio_config();
// "s3-it/<pid>-<time>": keeps runs apart and lets each test clean up after itself.
const std::string& run_prefix();

// One io_context and a backend on it; run() drives an awaitable to its end.
class harness {
  public:
    explicit harness(storage::s3::s3_config cfg = minio_config());
    storage::backend& b() { return *backend_; }
    boost::asio::io_context& io() { return io_; }

    template <class T>
    T run(boost::asio::awaitable<T> a) {
        auto f = boost::asio::co_spawn(io_, std::move(a), boost::asio::use_future);
        io_.restart();
        io_.run();
        return f.get();
    }

  private:
    boost::asio::io_context io_;
    std::unique_ptr<storage::backend> backend_;
};

std::vector<std::byte> random_bytes(std::size_t n, std::uint64_t seed);
runtime::shared_buffer as_buffer(std::vector<std::byte> bytes);

// Runs a shell command (MinIO credentials come from the environment); returns its
// exit status and captures stdout (and stderr) into `out`.
int shell(const std::string& command, std::string* out = nullptr);
// `aws --endpoint-url $S3_ENDPOINT <args>`; fails the test when it exits non-zero.
std::string aws(const std::string& args);
int aws_status(const std::string& args, std::string* out = nullptr);

std::string temp_path(const std::string& name);
void write_file(const std::string& path, const std::vector<std::byte>& bytes);
std::vector<std::byte> read_file(const std::string& path);

}  // namespace kb::s3test
