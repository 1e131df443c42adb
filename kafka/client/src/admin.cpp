#include <kb/kafka/client/admin.hpp>

#include <kb/kafka/protocol/create_partitions.hpp>
#include <kb/kafka/protocol/create_topics.hpp>
#include <kb/kafka/protocol/delete_topics.hpp>
#include <kb/kafka/protocol/describe_configs.hpp>
#include <kb/kafka/protocol/errors.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>
#include <fmt/format.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <functional>
#include <memory>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

namespace {

std::int32_t timeout_ms(const admin_options& o) {
    return static_cast<std::int32_t>(o.timeout.count());
}

// Polls metadata until `done` holds for it, at most `timeout`: admin changes reach
// every broker's metadata cache a little after the controller acknowledges them.
asio::awaitable<void> wait_until(cluster& c, std::vector<std::string> topics,
                                 std::function<bool(const cluster_metadata&)> done,
                                 std::chrono::milliseconds timeout, std::string what) {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        co_await c.refresh_metadata(topics);
        if (done(c.metadata())) co_return;
        if (std::chrono::steady_clock::now() > give_up)
            throw kb::error(error_class::retryable, "REQUEST_TIMED_OUT",
                            fmt::format("{}: metadata did not show the change within {} ms", what,
                                        timeout.count()));
        timer.expires_after(std::chrono::milliseconds(100));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

bool all_led(const cluster_metadata& m, const std::vector<std::string>& topics) {
    return std::all_of(topics.begin(), topics.end(), [&](const std::string& name) {
        const auto* t = m.topic(name);
        return t && !t->partitions.empty() &&
               std::all_of(t->partitions.begin(), t->partitions.end(),
                           [](const partition_info& p) { return p.leader >= 0; });
    });
}

proto::create_topics_request::topic to_request(const new_topic& t) {
    proto::create_topics_request::topic out;
    out.name = t.name;
    out.num_partitions = t.partitions;
    out.replication_factor = t.replication_factor;
    for (const auto& [k, v] : t.configs) out.configs.push_back({k, v});
    return out;
}

// One CreateTopics round: drops created topics from `todo`; throws the first failure.
asio::awaitable<void> create_round(cluster* c, std::shared_ptr<std::vector<new_topic>> todo,
                                   admin_options opt) {
    proto::create_topics_request req;
    req.timeout_ms = timeout_ms(opt);
    for (const auto& t : *todo) req.topics.push_back(to_request(t));
    auto conn = co_await c->controller_connection();
    auto resp = co_await conn->call<proto::create_topics_response>(std::move(req), std::nullopt,
                                                                   opt.timeout);
    std::exception_ptr failure;
    for (const auto& r : resp.topics) {
        bool ok = r.error_code == 0 ||
                  (r.error_code == proto::err::topic_already_exists && opt.ignore_existing);
        if (!ok && !failure) {
            try {
                c->check(r.error_code, fmt::format("creating topic '{}'", r.name), r.error_message);
            } catch (...) {
                failure = std::current_exception();
            }
        }
        if (ok) std::erase_if(*todo, [&](const new_topic& t) { return t.name == r.name; });
    }
    if (failure) std::rethrow_exception(failure);
}

asio::awaitable<void> delete_round(cluster* c, std::shared_ptr<std::vector<std::string>> todo,
                                   admin_options opt) {
    proto::delete_topics_request req;
    req.timeout_ms = timeout_ms(opt);
    for (const auto& name : *todo) {
        auto& t = req.topics.emplace_back();
        t.name = name;
    }
    auto conn = co_await c->controller_connection();
    auto resp = co_await conn->call<proto::delete_topics_response>(std::move(req), std::nullopt,
                                                                   opt.timeout);
    std::exception_ptr failure;
    for (const auto& r : resp.responses) {
        const auto name = r.name.value_or("");
        bool ok = r.error_code == 0 ||
                  (r.error_code == proto::err::unknown_topic_or_partition && opt.ignore_missing);
        if (ok) {
            std::erase(*todo, name);
        } else if (!failure) {
            // An unknown topic is reported as such, not retried as a stale leader.
            failure = std::make_exception_ptr(
                proto::make_error(r.error_code, fmt::format("deleting topic '{}'", name),
                                  r.error_message.value_or("")));
            if (proto::classify_error(r.error_code) == proto::error_kind::retriable)
                c->mark_stale();
        }
    }
    if (failure) std::rethrow_exception(failure);
}

asio::awaitable<void> grow_round(cluster* c, std::string topic, std::int32_t total,
                                 admin_options opt) {
    proto::create_partitions_request req;
    req.timeout_ms = timeout_ms(opt);
    auto& t = req.topics.emplace_back();
    t.name = topic;
    t.count = total;
    auto conn = co_await c->controller_connection();
    auto resp = co_await conn->call<proto::create_partitions_response>(std::move(req), std::nullopt,
                                                                       opt.timeout);
    for (const auto& r : resp.results)
        c->check(r.error_code, fmt::format("growing topic '{}' to {} partitions", topic, total),
                 r.error_message);
}

bool is_override(const proto::describe_configs_response::config& cfg) {
    if (cfg.config_source >= 0) return cfg.config_source == proto::config_source_dynamic_topic;
    return !cfg.is_default;  // v0 has no source, only the default flag
}

asio::awaitable<std::map<std::string, std::vector<config_entry>>> describe_round(
    cluster* c, std::vector<std::string> topics) {
    proto::describe_configs_request req;
    for (const auto& t : topics) {
        auto& r = req.resources.emplace_back();
        r.resource_type = proto::resource_type_topic;
        r.resource_name = t;
    }
    auto conn = co_await c->any_connection();
    auto resp = co_await conn->call<proto::describe_configs_response>(std::move(req));
    std::map<std::string, std::vector<config_entry>> out;
    for (const auto& r : resp.results) {
        if (r.error_code != 0)
            throw proto::make_error(
                r.error_code, fmt::format("describing configs of topic '{}'", r.resource_name),
                r.error_message.value_or(""));
        auto& entries = out[r.resource_name];
        for (const auto& cfg : r.configs)
            if (is_override(cfg))
                entries.push_back(
                    {cfg.name, cfg.value, cfg.read_only, cfg.is_sensitive, cfg.config_source});
    }
    co_return out;
}

}  // namespace

asio::awaitable<topic_listing> list_topics(cluster& c, bool include_internal) {
    co_await c.with_retry("listing topics", [&c] { return c.refresh_metadata(); });
    topic_listing out;
    out.cluster_id = c.metadata().cluster_id;
    for (const auto& [name, t] : c.metadata().topics)
        if (include_internal || !t.internal) out.topics.push_back(t);
    co_return out;
}

namespace {

asio::awaitable<void> create_topics_impl(cluster& c, std::vector<new_topic> topics,
                                         admin_options options) {
    std::vector<std::string> names;
    for (const auto& t : topics) names.push_back(t.name);
    auto todo = std::make_shared<std::vector<new_topic>>(std::move(topics));
    const auto what = fmt::format("creating topics {}", fmt::join(names, ", "));
    // Named first: see the note on GCC 12 in README.md (owning closures in co_await).
    auto attempt = [&c, todo, options] { return create_round(&c, todo, options); };
    co_await c.with_retry(what, attempt);
    if (options.wait_for_metadata) {
        std::function<bool(const cluster_metadata&)> led = [names](const cluster_metadata& m) {
            return all_led(m, names);
        };
        co_await wait_until(c, names, led, options.timeout, what);
    }
}

asio::awaitable<void> delete_topics_impl(cluster& c, std::vector<std::string> names,
                                         admin_options options) {
    auto todo = std::make_shared<std::vector<std::string>>(names);
    const auto what = fmt::format("deleting topics {}", fmt::join(names, ", "));
    auto attempt = [&c, todo, options] { return delete_round(&c, todo, options); };
    co_await c.with_retry(what, attempt);
    if (options.wait_for_metadata) {
        std::function<bool(const cluster_metadata&)> gone = [names](const cluster_metadata& m) {
            return std::none_of(names.begin(), names.end(),
                                [&](const std::string& n) { return m.topic(n) != nullptr; });
        };
        co_await wait_until(c, names, gone, options.timeout, what);
    }
}

asio::awaitable<void> create_partitions_impl(cluster& c, std::string topic, std::int32_t total,
                                             admin_options options) {
    const auto what = fmt::format("growing topic '{}' to {} partitions", topic, total);
    auto attempt = [&c, topic, total, options] { return grow_round(&c, topic, total, options); };
    co_await c.with_retry(what, attempt);
    if (options.wait_for_metadata) {
        std::function<bool(const cluster_metadata&)> grown = [topic,
                                                              total](const cluster_metadata& m) {
            const auto* t = m.topic(topic);
            return t && static_cast<std::int32_t>(t->partitions.size()) >= total &&
                   all_led(m, {topic});
        };
        std::vector<std::string> names;
        names.push_back(topic);
        co_await wait_until(c, std::move(names), grown, options.timeout, what);
    }
}

}  // namespace

// Plain functions in front of the coroutines (GCC 12 double-destroys braced aggregate
// temporaries, such as a defaulted `admin_options{}`, passed straight to a coroutine).
asio::awaitable<void> create_topics(cluster& c, std::vector<new_topic> topics,
                                    admin_options options) {
    return create_topics_impl(c, std::move(topics), std::move(options));
}

asio::awaitable<void> delete_topics(cluster& c, std::vector<std::string> names,
                                    admin_options options) {
    return delete_topics_impl(c, std::move(names), std::move(options));
}

asio::awaitable<void> create_partitions(cluster& c, std::string topic, std::int32_t total,
                                        admin_options options) {
    return create_partitions_impl(c, std::move(topic), total, std::move(options));
}

asio::awaitable<void> create_topics(cluster& c, std::vector<new_topic> topics) {
    return create_topics_impl(c, std::move(topics), admin_options{});
}

asio::awaitable<void> delete_topics(cluster& c, std::vector<std::string> names) {
    return delete_topics_impl(c, std::move(names), admin_options{});
}

asio::awaitable<void> create_partitions(cluster& c, std::string topic, std::int32_t total) {
    return create_partitions_impl(c, std::move(topic), total, admin_options{});
}

asio::awaitable<std::map<std::string, std::vector<config_entry>>> describe_topic_configs(
    cluster& c, std::vector<std::string> topics) {
    auto attempt = [&c, topics] { return describe_round(&c, topics); };
    co_return co_await c.with_retry("describing topic configs", attempt);
}

}  // namespace kb::kafka::client
