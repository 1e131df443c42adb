#pragma once
// A config's Kafka cluster section (`source:` or `target:`) as our Kafka client: the
// one place that translates it (engine/config knows no client type), and a client
// bootstrapped for one piece of work and closed after it.

#include <kb/config/cluster.hpp>
#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/config.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace kb::connect {

// What a client is for: it names the client (client.id) and sets how it uses connections.
enum class client_role {
    backup,   // "kafka-backup": fetches of one shard may use connections_per_broker in parallel
    restore,  // "kafka-backup-restore": one ordered connection per broker (per partition route)
    offsets,  // "kafka-backup-offsets": one connection per broker, group requests in order
};

// Throws kb::error(fatal, "INVALID_CONFIG") for a setting this build cannot honour
// (sasl_mechanism GSSAPI) or settings the client rejects.
kafka::client::client_config client_config(const config::kafka_cluster& cluster, client_role role);

// Bootstraps a client of `cluster`, awaits `work(client)` (which returns an awaitable<T>),
// closes the client whether bootstrap and the work succeeded or not, and returns the
// work's result (or rethrows the first failure).
// `work` is called once, before the client is bootstrapped; what it returns runs after.
template <class Work>
auto with_client(boost::asio::any_io_executor ex, config::kafka_cluster cluster, client_role role,
                 Work work) -> std::invoke_result_t<Work&, kafka::client::cluster&> {
    using result = typename std::invoke_result_t<Work&, kafka::client::cluster&>::value_type;
    static_assert(!std::is_void_v<result>, "with_client: the work must return a value");
    kafka::client::cluster client(std::move(ex), client_config(cluster, role));
    auto job = work(client);  // lazy: starts when awaited below
    std::exception_ptr failure;
    std::optional<result> value;
    try {
        co_await client.bootstrap();
        value.emplace(co_await std::move(job));
    } catch (...) {
        failure = std::current_exception();
    }
    co_await client.close();
    if (failure) std::rethrow_exception(failure);
    co_return std::move(*value);
}

}  // namespace kb::connect
