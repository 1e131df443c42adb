#include <kb/kafka/client/cluster.hpp>

#include "waiters.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

// One pooled connection: opened on first use, replaced when it breaks. Coroutines that
// want it while it is being opened wait for that attempt instead of starting their own.
struct cluster::slot {
    std::shared_ptr<connection> conn;
    bool connecting = false;
    detail::waiters ready;
};

cluster::cluster(asio::any_io_executor executor, client_config config)
    : executor_(std::move(executor)),
      connector_(std::make_shared<connector>(std::move(config))),
      refresh_waiters_(std::make_shared<detail::waiters>()) {
    for (std::size_t i = 0; i < connector_->config().bootstrap_servers.size(); ++i)
        bootstrap_slots_.push_back(std::make_shared<slot>());
}

cluster::~cluster() {
    for (auto& [node, slots] : pool_)
        for (auto& s : slots)
            if (s->conn) s->conn->abort();
    for (auto& s : bootstrap_slots_)
        if (s->conn) s->conn->abort();
}

const client_config& cluster::config() const noexcept {
    return connector_->config();
}

namespace {

// Before the cluster has answered once, a broker that cannot be reached is more
// likely a wrong address than a restart: give up within seconds, as before the
// retry deadline grew to minutes. Outages after that get the whole budget.
runtime::retry_policy first_contact(runtime::retry_policy p, bool patient) {
    if (patient) return p;
    if (p.max_attempts == 0 || p.max_attempts > 8) p.max_attempts = 8;
    p.deadline = std::min(p.deadline, std::chrono::milliseconds(15'000));
    return p;
}

}  // namespace

asio::awaitable<void> cluster::bootstrap() {
    auto attempt = [this] { return refresh_metadata(); };
    runtime::retry_budget budget(first_contact(config().retry, config().patient_first_contact),
                                 "bootstrapping Kafka client");
    co_await runtime::retry(std::move(budget), attempt);
    kb::log::info("kafka.cluster", "connected to cluster {} ({} brokers, {} topics)",
                  metadata_.cluster_id, metadata_.brokers.size(), metadata_.topics.size());
}

asio::awaitable<void> cluster::close() {
    std::vector<std::shared_ptr<connection>> open;
    for (auto& [node, slots] : pool_)
        for (auto& s : slots)
            if (s->conn) open.push_back(std::exchange(s->conn, nullptr));
    for (auto& s : bootstrap_slots_)
        if (s->conn) open.push_back(std::exchange(s->conn, nullptr));
    for (auto& c : open) co_await c->close();
}

broker_address cluster::address_of(std::int32_t node_id) const {
    const auto* b = metadata_.broker(node_id);
    if (!b) {
        throw kb::error(error_class::retryable, "BROKER_NOT_AVAILABLE",
                        fmt::format("broker {} is not in the cluster metadata", node_id));
    }
    return broker_address{b->host, static_cast<std::uint16_t>(b->port)};
}

asio::awaitable<std::shared_ptr<connection>> cluster::lease(std::shared_ptr<slot> s,
                                                            std::int32_t node_id) {
    for (;;) {
        if (s->conn && s->conn->is_usable()) co_return s->conn;
        if (s->connecting) {
            co_await s->ready.wait();
            continue;
        }
        s->connecting = true;
        std::exception_ptr failure;
        try {
            auto address =
                node_id >= 0
                    ? address_of(node_id)
                    : parse_broker_address(
                          config().bootstrap_servers[static_cast<std::size_t>(-node_id - 1)]);
            s->conn = co_await connection::open(connector_, address, node_id);
        } catch (...) {
            failure = std::current_exception();
        }
        s->connecting = false;
        s->ready.notify_all();
        if (failure) std::rethrow_exception(failure);
    }
}

asio::awaitable<std::shared_ptr<connection>> cluster::broker_connection(std::int32_t node_id,
                                                                        std::size_t affinity) {
    auto& slots = pool_[node_id];
    if (slots.empty()) {
        for (int i = 0; i < config().connections_per_broker; ++i)
            slots.push_back(std::make_shared<slot>());
    }
    co_return co_await lease(slots[affinity % slots.size()], node_id);
}

asio::awaitable<std::shared_ptr<connection>> cluster::bootstrap_connection() {
    // Try each bootstrap server in turn; report every failure if none answers.
    std::string failures;
    std::exception_ptr last;
    for (std::size_t i = 0; i < bootstrap_slots_.size(); ++i) {
        try {
            co_return co_await lease(bootstrap_slots_[i], -static_cast<std::int32_t>(i) - 1);
        } catch (...) {
            last = std::current_exception();
            if (kb::classify(last) != error_class::retryable) throw;
            failures += (failures.empty() ? "" : "; ") + kb::describe(last);
        }
    }
    throw kb::error(error_class::retryable, "BROKER_UNREACHABLE", failures,
                    reason::broker_unreachable);
}

asio::awaitable<std::shared_ptr<connection>> cluster::any_connection() {
    // Prefer a connection that is already open, round robin over the brokers.
    const auto& brokers = metadata_.brokers;
    for (std::size_t i = 0; i < brokers.size(); ++i) {
        const auto& b = brokers[(next_any_ + i) % brokers.size()];
        auto it = pool_.find(b.node_id);
        if (it == pool_.end()) continue;
        for (auto& s : it->second) {
            if (s->conn && s->conn->is_usable()) {
                next_any_ = (next_any_ + i + 1) % brokers.size();
                co_return s->conn;
            }
        }
    }
    for (std::size_t i = 0; i < brokers.size(); ++i) {
        const auto node = brokers[(next_any_ + i) % brokers.size()].node_id;
        try {
            co_return co_await broker_connection(node);
        } catch (...) {
            if (kb::classify(std::current_exception()) != error_class::retryable) throw;
        }
    }
    co_return co_await bootstrap_connection();
}

asio::awaitable<std::shared_ptr<connection>> cluster::controller_connection() {
    co_await refresh_if_stale();
    const auto controller = metadata_.controller_id;
    if (controller >= 0 && metadata_.broker(controller)) {
        try {
            co_return co_await broker_connection(controller);
        } catch (...) {
            // Brokers forward admin requests to the controller (KRaft), or answer
            // NOT_CONTROLLER, which is retried: either way another broker will do.
            if (kb::classify(std::current_exception()) != error_class::retryable) throw;
            mark_stale();
        }
    }
    co_return co_await any_connection();
}

void cluster::check(std::int16_t code, std::string_view context,
                    const std::optional<std::string>& message) {
    if (code == proto::err::none) return;
    auto detail = message.value_or("");
    if (proto::classify_error(code) == proto::error_kind::needs_metadata) {
        // Metadata said the partition (or coordinator) was there: it moved or is being
        // created. Refresh and try again rather than reporting "not found".
        mark_stale();
        auto e = proto::make_error(code, context, detail);
        throw kb::error(error_class::retryable, e.code(), e.what(), e.why());
    }
    throw proto::make_error(code, context, detail);
}

}  // namespace kb::kafka::client
