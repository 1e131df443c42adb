#pragma once
// staged_object: an object streamed into a hidden temp file, visible under its key
// only on commit().
//
// A backend that can rename cheaply (the filesystem) offers staged objects: bytes
// go to a hidden temp file as they are produced, and commit() makes the file
// durable and visible under its final key in one step. Nothing is buffered in
// memory. object_stream (object_stream.hpp) uses them where the backend has them
// and multipart uploads elsewhere.

#include <kb/runtime/buffer.hpp>

#include <boost/asio/awaitable.hpp>

#include <string>

namespace kb::storage {

class staged_object {
  public:
    virtual ~staged_object() = default;  // discards the bytes unless committed

    virtual boost::asio::awaitable<void> write(runtime::shared_buffer bytes) = 0;
    // Makes everything written durable and visible as `key`, whole. The key must
    // lie under the directory the object was staged for.
    virtual boost::asio::awaitable<void> commit(std::string key) = 0;
};

}  // namespace kb::storage
