#pragma once
// fake_s3: an S3 endpoint inside the test process (Beast HTTP on 127.0.0.1:0)
// that keeps objects in a map. It answers what kb_storage_s3 sends: PutObject,
// GetObject (with Range), HeadObject, DeleteObject(s), ListObjectsV2, the
// multipart calls and ListMultipartUploads. Signatures are not checked.
//
// Scripted faults, matched in the order given against "<METHOD> <key>":
//   unavailable    answer 503 SlowDown (the client retries it)
//   drop           close the connection without an answer
//   lose_response  do the operation, then close without an answer
//   slow           wait `delay`, then answer normally
//   not_implemented  answer 501 NotImplemented (a store without the feature)
// A PUT with If-None-Match: * on an existing key is answered 412, as MinIO does.
// and hold_writes(true) keeps every PUT/POST waiting until hold_writes(false).
// Threading: serves on its own thread; every method is safe from the test thread.

#include <kb/storage/s3/s3_backend.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kb::test {

enum class s3_fault { unavailable, drop, lose_response, slow, not_implemented };

struct s3_rule {
    std::string method;        // "PUT", "GET", ...; empty matches any
    std::string key_contains;  // substring of the object key; empty matches any
    s3_fault fault = s3_fault::unavailable;
    int times = 1;                       // how many matching requests it applies to; -1: all
    std::chrono::milliseconds delay{0};  // for slow
};

class fake_s3 {
  public:
    fake_s3();
    ~fake_s3();
    fake_s3(const fake_s3&) = delete;
    fake_s3& operator=(const fake_s3&) = delete;

    std::string endpoint() const;  // "http://127.0.0.1:<port>"
    // A config for make_s3_backend: this endpoint, bucket "test", short retries.
    storage::s3::s3_config config() const;

    void add_rule(s3_rule rule);
    void clear_rules();
    void hold_writes(bool held);
    int writes_waiting() const;  // PUT/POST requests held right now

    std::map<std::string, std::string> objects() const;  // key (bucket-relative) -> bytes
    std::optional<std::string> object(const std::string& key) const;
    // Stores `bytes` as `key` directly (e.g. a damaged copy of an object).
    void put_object(const std::string& key, std::string bytes);
    // "<METHOD> <key>" of every request, in arrival order.
    std::vector<std::string> requests() const;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace kb::test
