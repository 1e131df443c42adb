#pragma once
// Runs coroutines to completion in tests and gives each test a scratch directory.

#include <kb/runtime/buffer.hpp>
#include <kb/runtime/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>

namespace kb {
// So Boost.Test can print error classes in failed checks.
inline std::ostream& operator<<(std::ostream& os, error_class c) {
    return os << to_string(c);
}
}  // namespace kb

namespace kb::test {

template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> a) {
    auto f = boost::asio::co_spawn(io, std::move(a), boost::asio::use_future);
    io.restart();
    io.run();
    return f.get();
}

struct scratch_dir {
    std::filesystem::path path;
    scratch_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kb-test-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~scratch_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

inline runtime::shared_buffer text(std::string s) {
    return runtime::shared_buffer::copy_of(s);
}

}  // namespace kb::test
