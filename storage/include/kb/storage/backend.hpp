#pragma once
// The storage interface: where backups live (S3-compatible stores, a local disk).
//
// Every operation is an awaitable run on the executor the backend was opened on
// (one backend instance per shard; instances share nothing). Failures are thrown
// as kb::error classified at this edge: not_found, auth, retryable, fatal, each
// with the backend's own code (e.g. "NoSuchBucket", "ENOSPC") and a message that
// names the object and never a secret. Keys are '/'-separated, relative to the
// backend's root (the bucket + prefix, or the directory).

#include <kb/runtime/buffer.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kb::storage {

using boost::asio::awaitable;
using runtime::shared_buffer;

class staged_object;

struct object_info {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;
    std::chrono::system_clock::time_point last_modified{};
};

struct list_page {
    std::vector<object_info> objects;       // lexical order by key
    std::optional<std::string> next_token;  // absent on the last page
};

struct byte_range {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct completed_part {
    int part_number = 0;  // 1-based
    std::string etag;
};

// A multipart upload that was created and neither completed nor aborted.
struct multipart_upload {
    std::string key;  // relative to the backend root, like every other key
    std::string upload_id;
    std::chrono::system_clock::time_point initiated{};
};

// What a create-only put did.
struct create_result {
    bool created = false;  // false: an object already had that name (left as it was)
    // The store decided in one call (O_EXCL/link, If-None-Match: *, ifGenerationMatch=0):
    // no rival can have created the same key too, so a lock needs no settle pause.
    bool atomic = false;
};

class backend {
  public:
    virtual ~backend() = default;

    // Human-readable location without secrets, e.g. "s3://bucket/prefix" or "/var/backups".
    virtual std::string describe() const = 0;

    // Small objects: appears whole or not at all.
    virtual awaitable<void> put(std::string key, shared_buffer body) = 0;
    // Creates `key` only when no object has that name (created: false when one
    // already existed, then it is left as it was). Every backend here makes it one
    // atomic call (atomic: true); the default, and S3 on a store that does not take
    // If-None-Match, is a head then a put, which two writers can both pass. A retried
    // call whose first answer was lost may report false for its own object: callers
    // that care read it back.
    virtual awaitable<create_result> put_if_absent(std::string key, shared_buffer body);
    // Whole object, or `range` of it. not_found when the key does not exist.
    virtual awaitable<shared_buffer> get(std::string key, std::optional<byte_range> range = {}) = 0;
    virtual awaitable<std::optional<object_info>> head(std::string key) = 0;
    virtual awaitable<list_page> list(std::string prefix, std::optional<std::string> token = {},
                                      int max_keys = 1000) = 0;
    // Deleting a missing key is not an error (as in S3).
    virtual awaitable<void> remove(std::string key) = 0;
    virtual awaitable<void> remove_many(std::vector<std::string> keys) = 0;

    // Multipart upload: parts are 1-based, >= 5 MiB except the last, at most 10,000.
    virtual awaitable<std::string> create_multipart(std::string key) = 0;  // returns upload id
    virtual awaitable<completed_part> upload_part(std::string key, std::string upload_id,
                                                  int part_number, shared_buffer body) = 0;
    virtual awaitable<void> complete_multipart(std::string key, std::string upload_id,
                                               std::vector<completed_part> parts) = 0;
    virtual awaitable<void> abort_multipart(std::string key, std::string upload_id) = 0;
    // Every upload in progress whose key starts with `prefix` (all pages), in key
    // order. A process killed mid-upload leaves one behind; on S3 its parts are
    // stored (and billed) until someone aborts it.
    virtual awaitable<std::vector<multipart_upload>> list_multipart_uploads(std::string prefix) = 0;

    // An object to stream before its key is known (see staged_object.hpp), staged
    // under `prefix` (the key prefix it will be committed under). nullptr when the
    // backend cannot rename cheaply (S3): the caller buffers and uploads instead.
    virtual std::unique_ptr<staged_object> stage_object(std::string prefix);
    // Removes the staged objects under `prefix` that were never committed (left by
    // a killed process); returns how many. Only for a caller that knows no staged
    // object under `prefix` is in use (a backup holding its lease, before it starts).
    virtual awaitable<std::size_t> discard_staged(std::string prefix);
};

}  // namespace kb::storage
