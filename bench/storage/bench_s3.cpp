// bench_s3: our S3 backend's multipart PUT and ranged GET throughput against a
// real S3 endpoint (the local MinIO), for compare_s3.sh to set next to awscli.
//
//   bench_s3 put --file F --key K [--part-mib 16] [--in-flight 4]
//   bench_s3 get --key K [--range-mib 8] [--in-flight 4] [--verify F]
//
// put: multipart upload of F with `in-flight` parts uploading at once; each part
// is read from the file when its upload starts and dropped when it is
// acknowledged, so memory stays near part size x in-flight.
// get: the whole object in `range-mib` ranges, `in-flight` GETs at once; bytes
// are discarded, or compared with F under --verify.
// Settings come from S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_REGION and KB_TEST_BUCKET (eval "$(scripts/env.sh up)").
// Prints one line: "<op> <bytes> bytes in <s> s = <MiB/s> MiB/s (...)".

#include <kb/runtime/error.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using boost::asio::awaitable;
using kb::runtime::shared_buffer;
using kb::storage::backend;
using kb::storage::byte_range;
using kb::storage::completed_part;

struct options {
    std::string op, file, key, verify;
    std::size_t part_mib = 16, range_mib = 8;
    int in_flight = 4;
};

options parse(int argc, char** argv) {
    if (argc < 2) throw std::invalid_argument("usage: bench_s3 put|get --key K [...]");
    options o;
    o.op = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string_view flag = argv[i];
        std::string value = argv[i + 1];
        if (flag == "--file")
            o.file = value;
        else if (flag == "--key")
            o.key = value;
        else if (flag == "--verify")
            o.verify = value;
        else if (flag == "--part-mib")
            o.part_mib = std::stoul(value);
        else if (flag == "--range-mib")
            o.range_mib = std::stoul(value);
        else if (flag == "--in-flight")
            o.in_flight = std::stoi(value);
        else
            throw std::invalid_argument(fmt::format("unknown flag '{}'", flag));
    }
    if (o.key.empty()) throw std::invalid_argument("--key is required");
    return o;
}

std::string need_env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0')
        throw std::runtime_error(
            fmt::format("{} is not set: run eval \"$(scripts/env.sh up)\"", name));
    return v;
}

kb::storage::s3::s3_config config_from_env(int in_flight) {
    kb::storage::s3::s3_config c;
    c.endpoint = need_env("S3_ENDPOINT");
    c.bucket = need_env("KB_TEST_BUCKET");
    c.region = need_env("AWS_REGION");
    c.allow_http = true;
    c.max_connections = in_flight;
    kb::storage::s3::resolve_credentials(c);
    return c;
}

// A file read with pread from any offset; each part owns its own bytes.
class source_file {
  public:
    explicit source_file(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY)) {
        struct stat st {};
        if (fd_ < 0 || ::fstat(fd_, &st) != 0) throw std::runtime_error("cannot open " + path);
        size_ = static_cast<std::uint64_t>(st.st_size);
    }
    ~source_file() { ::close(fd_); }
    std::uint64_t size() const { return size_; }
    std::vector<std::byte> read(std::uint64_t offset, std::size_t length) const {
        std::vector<std::byte> out(length);
        std::size_t done = 0;
        while (done < length) {
            auto n =
                ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
            if (n <= 0) throw std::runtime_error("short read");
            done += static_cast<std::size_t>(n);
        }
        return out;
    }

  private:
    int fd_;
    std::uint64_t size_ = 0;
};

struct put_job {
    const source_file& file;
    std::string key, upload_id;
    std::size_t part_size;
    int parts = 0, next = 1;
    std::vector<completed_part> done;
};

awaitable<void> put_worker(backend& b, put_job& job) {
    while (job.next <= job.parts) {
        int n = job.next++;
        auto offset = std::uint64_t(n - 1) * job.part_size;
        auto len = static_cast<std::size_t>(
            std::min<std::uint64_t>(job.part_size, job.file.size() - offset));
        auto body = shared_buffer::adopt(job.file.read(offset, len));
        job.done[static_cast<std::size_t>(n - 1)] =
            co_await b.upload_part(job.key, job.upload_id, n, body);
    }
}

struct get_job {
    std::string key;
    std::uint64_t size = 0, next = 0, received = 0;
    std::size_t range_size;
    const source_file* verify = nullptr;
    int mismatches = 0;
};

awaitable<void> get_worker(backend& b, get_job& job) {
    while (job.next < job.size) {
        byte_range r{job.next, std::min<std::uint64_t>(job.range_size, job.size - job.next)};
        job.next += r.length;
        auto bytes = co_await b.get(job.key, r);
        job.received += bytes.size();
        if (job.verify != nullptr) {
            auto expected = job.verify->read(r.offset, static_cast<std::size_t>(r.length));
            if (bytes.size() != expected.size() ||
                std::memcmp(bytes.data(), expected.data(), expected.size()) != 0)
                ++job.mismatches;
        }
    }
}

template <class F>
double timed(F&& f) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void report(const char* op, std::uint64_t bytes, double seconds, const std::string& how) {
    fmt::print("{} {} bytes in {:.2f} s = {:.1f} MiB/s ({})\n", op, bytes, seconds,
               static_cast<double>(bytes) / (1 << 20) / seconds, how);
}

int run_put(const options& o) {
    boost::asio::io_context io;
    auto b = kb::storage::s3::make_s3_backend(io.get_executor(), config_from_env(o.in_flight));
    source_file file(o.file);
    put_job job{file, o.key, "", o.part_mib << 20, 0, 1, {}};
    job.parts = static_cast<int>((file.size() + job.part_size - 1) / job.part_size);
    job.done.resize(static_cast<std::size_t>(job.parts));
    double s = timed([&] {
        auto create =
            boost::asio::co_spawn(io, b->create_multipart(job.key), boost::asio::use_future);
        io.run();
        job.upload_id = create.get();
        io.restart();
        std::vector<std::future<void>> workers;
        for (int i = 0; i < o.in_flight; ++i)
            workers.push_back(
                boost::asio::co_spawn(io, put_worker(*b, job), boost::asio::use_future));
        io.run();
        for (auto& w : workers) w.get();
        io.restart();
        auto complete = boost::asio::co_spawn(
            io, b->complete_multipart(job.key, job.upload_id, job.done), boost::asio::use_future);
        io.run();
        complete.get();
    });
    report("put", file.size(), s,
           fmt::format("multipart, {} parts of {} MiB, {} in flight", job.parts, o.part_mib,
                       o.in_flight));
    return 0;
}

int run_get(const options& o) {
    boost::asio::io_context io;
    auto b = kb::storage::s3::make_s3_backend(io.get_executor(), config_from_env(o.in_flight));
    auto head = boost::asio::co_spawn(io, b->head(o.key), boost::asio::use_future);
    io.run();
    auto info = head.get();
    if (!info) throw std::runtime_error("no such object: " + o.key);
    std::unique_ptr<source_file> verify;
    if (!o.verify.empty()) verify = std::make_unique<source_file>(o.verify);
    get_job job{o.key, info->size, 0, 0, o.range_mib << 20, verify.get(), 0};
    io.restart();
    double s = timed([&] {
        std::vector<std::future<void>> workers;
        for (int i = 0; i < o.in_flight; ++i)
            workers.push_back(
                boost::asio::co_spawn(io, get_worker(*b, job), boost::asio::use_future));
        io.run();
        for (auto& w : workers) w.get();
    });
    report("get", job.received, s,
           fmt::format("ranges of {} MiB, {} in flight{}", o.range_mib, o.in_flight,
                       verify ? ", verified" : ""));
    if (job.received != info->size || job.mismatches != 0) {
        fmt::print(stderr, "get: {} of {} bytes, {} ranges differ from {}\n", job.received,
                   info->size, job.mismatches, o.verify);
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        auto o = parse(argc, argv);
        if (o.op == "put") return run_put(o);
        if (o.op == "get") return run_get(o);
        throw std::invalid_argument("the first argument is put or get");
    } catch (const std::exception& e) {
        fmt::print(stderr, "bench_s3: {}\n", e.what());
        return 2;
    }
}
