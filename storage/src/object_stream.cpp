// The two shapes of an object_stream: staged (rename on finish) and multipart.
#include <kb/storage/object_stream.hpp>
#include <kb/storage/staged_object.hpp>

namespace kb::storage {

namespace {

class staged_stream final : public object_stream {
  public:
    staged_stream(std::string key, std::unique_ptr<staged_object> staged)
        : object_stream(std::move(key)), staged_(std::move(staged)) {}

    awaitable<void> write(shared_buffer bytes) override {
        co_await staged_->write(std::move(bytes));
    }
    awaitable<void> finish() override { co_await staged_->commit(key()); }

  private:
    std::unique_ptr<staged_object> staged_;
};

class multipart_stream final : public object_stream {
  public:
    multipart_stream(backend& b, std::string key, multipart_options opts)
        : object_stream(key), writer_(b, std::move(key), std::move(opts)) {}

    awaitable<void> write(shared_buffer bytes) override {
        co_await writer_.write(std::move(bytes));
    }
    awaitable<void> finish() override { co_await writer_.finish(); }

  private:
    multipart_writer writer_;
};

std::string directory_of(const std::string& key) {
    auto slash = key.rfind('/');
    return slash == std::string::npos ? std::string() : key.substr(0, slash + 1);
}

}  // namespace

std::size_t object_stream_window(const multipart_options& opts) {
    return opts.part_size * static_cast<std::size_t>(opts.max_in_flight + 1);
}

bool stages_objects(backend& b) {
    // A staged object touches nothing until written, so asking costs an allocation.
    return b.stage_object("") != nullptr;
}

std::unique_ptr<object_stream> open_object_stream(backend& b, std::string key,
                                                  multipart_options opts) {
    if (auto staged = b.stage_object(directory_of(key)))
        return std::make_unique<staged_stream>(std::move(key), std::move(staged));
    return std::make_unique<multipart_stream>(b, std::move(key), std::move(opts));
}

}  // namespace kb::storage
