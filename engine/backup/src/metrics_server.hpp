#pragma once
// The HTTP endpoint of a running backup (Beast): GET <path> (default /metrics)
// answers the Prometheus text of metrics_registry, GET /health answers
// {"status":"ok"} while the job is healthy and 503 once it has failed. One
// request per connection, each with a deadline and a size limit.
// Threading: lives on one shard's executor; stop() and the destructor may be
// called from any thread (they post the close to that executor and wait).

#include "job_state.hpp"

#include <cstdint>
#include <memory>

namespace kb::backup {

class metrics_server {
  public:
    // Binds settings.metrics (address, port; 0 picks one) on shard 0 and starts serving.
    // Throws kb::error(fatal, "METRICS_BIND") naming the address when it cannot bind.
    static std::unique_ptr<metrics_server> start(backup_job::state& st);
    ~metrics_server();
    std::uint16_t port() const noexcept { return port_; }
    void stop();

    struct impl;

  private:
    explicit metrics_server(std::shared_ptr<impl> i, std::uint16_t port)
        : impl_(std::move(i)), port_(port) {}
    std::shared_ptr<impl> impl_;
    std::uint16_t port_ = 0;
};

}  // namespace kb::backup
