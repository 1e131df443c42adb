#include <kb/kafka/client/producer.hpp>

#include "routing.hpp"
#include "waiters.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/init_producer_id.hpp>
#include <kb/kafka/protocol/produce.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>

#include <functional>
#include <set>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;
using runtime::shared_buffer;

struct producer::partition_state {
    std::int32_t next_sequence = 0;
    int in_flight = 0;
    std::uint64_t next_ticket = 0;      // handed to produce() calls in call order
    std::uint64_t admit_ticket = 0;     // the ticket that may go next
    std::set<std::uint64_t> abandoned;  // tickets whose call ended before admission
    std::set<std::int32_t> unresolved;  // first sequence of every admitted, unsettled call
    detail::waiters changed;            // notified on every admission and settlement

    void skip_abandoned() {
        while (abandoned.erase(admit_ticket)) ++admit_ticket;
    }
};

namespace {

using stamped = producer::stamped_batch;

// Checks the batches and takes their sequence numbers. The bytes stay the caller's
// (shared and immutable): they are stamped in the request buffer as it is encoded
// (stamp_in_request), so a batch is copied once on its way to the socket.
stamped admit(const shared_buffer& batches, bool idempotent, bool needs_stamp,
              std::int32_t& next_sequence) {
    auto views = proto::split_batches(batches);
    if (views.empty())
        throw kb::error(error_class::fatal, "INVALID_RECORD", "produce called without a batch");
    stamped out;
    out.bytes = batches;
    out.first_sequence = idempotent ? next_sequence : -1;
    out.needs_stamp = needs_stamp;
    for (const auto& v : views) {
        if (v.header.magic != 2)
            throw kb::error(error_class::fatal, "UNSUPPORTED_FOR_MESSAGE_FORMAT",
                            "only magic-2 record batches can be produced");
        if (v.header.control())
            throw kb::error(error_class::fatal, "INVALID_RECORD",
                            "control batches (transaction markers) cannot be produced");
        out.records += v.header.record_count;
        if (idempotent)  // wraps at INT32_MAX as Kafka does
            next_sequence =
                static_cast<std::int32_t>(static_cast<std::uint32_t>(next_sequence) +
                                          static_cast<std::uint32_t>(v.header.record_count));
    }
    return out;
}

// Writes our producer id, epoch and sequences into `records`: the request's own copy
// of the batches, so the caller's bytes are never touched.
void stamp_in_request(std::span<std::byte> records, const stamped& b, std::int64_t pid,
                      std::int16_t epoch) {
    std::int32_t sequence = b.first_sequence;
    std::size_t at = 0;
    while (at < records.size()) {
        const auto h = proto::parse_batch_header(records.subspan(at));
        const auto size = static_cast<std::size_t>(h.total_size());
        proto::restamp r;
        r.base_offset = 0;  // the broker assigns offsets; Kafka 4 refuses any other base
        r.producer_id = pid;
        r.producer_epoch = epoch;
        r.transactional = false;
        r.base_sequence = sequence;
        proto::restamp_batch(records.subspan(at, size), r);
        if (sequence >= 0)
            sequence = static_cast<std::int32_t>(static_cast<std::uint32_t>(sequence) +
                                                 static_cast<std::uint32_t>(h.record_count));
        at += size;
    }
}

// Whether every batch can go out unchanged (not idempotent, no producer fields set,
// base offset already 0).
bool passes_through(const shared_buffer& batches) {
    for (const auto& v : proto::split_batches(batches))
        if (v.header.magic == 2 &&
            (v.header.producer_id != -1 || v.header.transactional() || v.header.base_offset != 0))
            return false;
    return true;
}

proto::produce_request produce_request_for(const std::string& topic, std::int32_t partition,
                                           const shared_buffer& bytes,
                                           std::chrono::milliseconds ack_timeout) {
    proto::produce_request req;
    req.acks = -1;  // all in-sync replicas
    req.timeout_ms = static_cast<std::int32_t>(ack_timeout.count());
    auto& t = req.topic_data.emplace_back();
    t.name = topic;
    t.partition_data.push_back({partition, bytes});
    return req;
}

const proto::produce_response::partition* find_partition(const proto::produce_response& resp,
                                                         const std::string& topic,
                                                         std::int32_t partition) {
    for (const auto& t : resp.responses)
        for (const auto& p : t.partition_responses)
            if (t.name == topic && p.index == partition) return &p;
    return nullptr;
}

// The result of a settled batch; `p` is null for a duplicate (already written earlier).
produce_result settled(const proto::produce_response::partition* p, const stamped& batch) {
    produce_result r;
    r.records = batch.records;
    if (!p) return r;
    r.base_offset = p->base_offset;
    r.log_append_time = p->log_append_time_ms;
    r.log_start_offset = p->log_start_offset;
    return r;
}

[[noreturn]] void too_large(const std::string& where, std::size_t bytes,
                            const std::optional<std::string>& broker_message) {
    throw kb::error(
        error_class::fatal, "MESSAGE_TOO_LARGE",
        fmt::format("{}: the broker refused a batch of {} bytes as too large; raise the "
                    "topic's max.message.bytes (and the broker's message.max.bytes / "
                    "replica.fetch.max.bytes) or send smaller batches{}",
                    where, bytes, broker_message ? fmt::format(" ({})", *broker_message) : ""));
}

// One Produce of `b` on `conn`: the request is encoded into the buffer that goes to
// the socket (room made for the batches first, so it grows once) and the batches are
// stamped there.
asio::awaitable<proto::produce_response> send_stamped(std::shared_ptr<connection> conn,
                                                      const proto::produce_request& req,
                                                      const stamped& b, std::int64_t pid,
                                                      std::int16_t epoch,
                                                      std::chrono::milliseconds timeout) {
    const auto v = conn->version_for(proto::api_key::Produce);
    std::function<void(proto::writer&)> encode = [&req, &b, v, pid, epoch](proto::writer& w) {
        w.buffer().reserve(w.size() + b.bytes.size() + 256 + req.topic_data[0].name.size());
        req.encode(w, v);
        if (!b.needs_stamp) return;
        std::span<std::byte> all(w.buffer());
        const auto at = all.size() - proto::produce_request::records_tail(v) - b.bytes.size();
        stamp_in_request(all.subspan(at, b.bytes.size()), b, pid, epoch);
    };
    auto body = co_await conn->send(proto::api_key::Produce, v, std::move(encode), timeout);
    proto::reader r(body.bytes());
    co_return proto::produce_response::decode(r, v);
}

asio::awaitable<proto::init_producer_id_response> init_producer_id(cluster* c) {
    auto conn = co_await c->any_connection();
    proto::init_producer_id_request req;
    auto r = co_await conn->call<proto::init_producer_id_response>(std::move(req));
    c->check(r.error_code, "InitProducerId");
    co_return r;
}

}  // namespace

producer::producer(cluster& c, producer_options options) : cluster_(c), options_(options) {}
producer::~producer() = default;

asio::awaitable<void> producer::init() {
    partitions_.clear();
    if (!options_.idempotent) co_return;
    auto resp = co_await cluster_.with_retry("initializing the idempotent producer",
                                             [this] { return init_producer_id(&cluster_); });
    producer_id_ = resp.producer_id;
    producer_epoch_ = resp.producer_epoch;
}

std::shared_ptr<producer::partition_state> producer::state_for(const std::string& topic,
                                                               std::int32_t partition) {
    auto& s = partitions_[{topic, partition}];
    if (!s) s = std::make_shared<partition_state>();
    return s;
}

asio::awaitable<produce_result> producer::produce(std::string topic, std::int32_t partition,
                                                  shared_buffer batches) {
    const auto where = fmt::format("producing to {}-{}", topic, partition);
    if (options_.idempotent && producer_id_ < 0)
        throw kb::error(error_class::fatal, "INVALID_PRODUCER_ID_MAPPING",
                        where + ": producer::init() was not called");
    auto st = state_for(topic, partition);
    // Calls are admitted strictly in call order (a newcomer never overtakes a waiting
    // call when a slot frees), and take their sequence numbers on admission: so the
    // order on the wire, the sequence order and the call order are the same.
    struct ticket_guard {
        partition_state& s;
        std::uint64_t ticket;
        bool admitted = false;
        ~ticket_guard() {
            if (admitted) return;
            s.abandoned.insert(ticket);  // cancelled while queued: let the next one go
            s.skip_abandoned();
            s.changed.notify_all();
        }
    } place{*st, st->next_ticket++};
    while (st->admit_ticket != place.ticket || st->in_flight >= options_.max_in_flight)
        co_await st->changed.wait();
    place.admitted = true;
    ++st->admit_ticket;
    st->skip_abandoned();
    st->changed.notify_all();

    const bool needs_stamp = options_.idempotent || !passes_through(batches);
    auto batch = admit(batches, options_.idempotent, needs_stamp, st->next_sequence);
    struct in_flight_guard {
        partition_state& s;
        std::int32_t seq;
        ~in_flight_guard() {
            --s.in_flight;
            s.unresolved.erase(seq);
            s.changed.notify_all();
        }
    } guard{*st, batch.first_sequence};
    ++st->in_flight;
    st->unresolved.insert(batch.first_sequence);

    co_return co_await settle(st, topic, partition, batch, where);
}

// Sends one admitted batch until it is settled: retried through leader moves and lost
// connections with the same sequence numbers; on OUT_OF_ORDER_SEQUENCE_NUMBER while an
// earlier batch of the partition is unsettled, it waits for that one and resends.
asio::awaitable<produce_result> producer::settle(std::shared_ptr<partition_state> st,
                                                 std::string topic, std::int32_t partition,
                                                 stamped_batch batch, std::string where) {
    auto req = produce_request_for(topic, partition, batch.bytes, options_.ack_timeout);
    const auto affinity = std::hash<std::string>{}(topic) ^ static_cast<std::size_t>(partition);
    detail::partition_retry retry(cluster_, where, {{topic, partition}});
    while (!retry.pending().empty()) {
        co_await retry.before_attempt();
        auto routes = co_await retry.route_pending();
        if (routes.empty()) continue;
        std::exception_ptr failure;
        proto::produce_response resp;
        try {
            auto conn = co_await cluster_.broker_connection(routes[0].leader, affinity);
            resp = co_await send_stamped(conn, req, batch, producer_id_, producer_epoch_,
                                         options_.ack_timeout);
        } catch (...) {
            failure = std::current_exception();
        }
        if (!retry.accept_request(routes[0], failure)) continue;
        const auto* p = find_partition(resp, topic, partition);
        const auto code = p ? p->error_code : proto::err::unknown_server_error;
        if (code == proto::err::duplicate_sequence_number) co_return settled(nullptr, batch);
        if (code == proto::err::out_of_order_sequence_number &&
            *st->unresolved.begin() < batch.first_sequence) {
            // Backing off at random instead would let the batches overtake each other
            // again and again.
            while (*st->unresolved.begin() < batch.first_sequence) co_await st->changed.wait();
            retry.retry_now(0);
            continue;
        }
        if (!retry.accept_partition(0, code, where)) continue;
        if (code == proto::err::message_too_large || code == proto::err::record_list_too_large)
            too_large(where, batch.bytes.size(), p->error_message);
        if (code != 0) throw proto::make_error(code, where, p ? p->error_message.value_or("") : "");
        co_return settled(p, batch);
    }
    throw kb::error(error_class::fatal, "INTERNAL", where + ": retry loop ended without result");
}

}  // namespace kb::kafka::client
