// A one-node Kafka broker for unit tests (see fake_broker.hpp).
#include <kb/test/fake_broker.hpp>
#include <kb/test/server_thread.hpp>

#include <kb/kafka/protocol/api_versions.hpp>
#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/fetch.hpp>
#include <kb/kafka/protocol/header.hpp>
#include <kb/kafka/protocol/init_producer_id.hpp>
#include <kb/kafka/protocol/list_offsets.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/kafka/protocol/produce.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/channel.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace kb::test {

namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;
using asio::awaitable;
using asio::ip::tcp;
using frame = std::vector<std::byte>;

namespace {

struct stored_batch {
    std::int64_t base = 0;
    std::int64_t last = 0;
    batch_bytes bytes;
};

struct partition_log {
    std::vector<stored_batch> batches;
    std::int64_t end = 0;
};

struct topic_state {
    proto::uuid id;
    std::vector<partition_log> partitions;
};

// The APIs answered here, each at every version the client may pick.
constexpr proto::api_key served[] = {
    proto::api_key::Produce,  proto::api_key::Fetch,       proto::api_key::ListOffsets,
    proto::api_key::Metadata, proto::api_key::ApiVersions, proto::api_key::InitProducerId,
};

template <class Response>
frame encode_response(const proto::request_header& h, const Response& resp) {
    proto::writer w;
    const auto size_pos = w.reserve_int32();
    proto::write_response_header(w, h.key, h.version, h.correlation_id);
    resp.encode(w, h.version);
    w.patch_int32(size_pos, static_cast<std::int32_t>(w.size() - size_pos - 4));
    return w.take();
}

awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

}  // namespace

struct fake_broker::impl {
    server_thread server;  // first: destroyed last, after the state its handlers used
    tcp::acceptor acceptor{server.io(), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};

    mutable std::mutex mutex;
    std::map<std::string, topic_state> topics;
    std::map<int, std::int16_t> produce_failures;  // request number -> error code
    bool produce_held = false;
    int produce_count = 0, produce_in_flight = 0, produce_in_flight_max = 0;
    int fetch_count = 0;
    std::int64_t fetch_offset_max = -1;
    std::int64_t next_producer_id = 4000;

    partition_log* find(const std::string& topic, int partition) {
        auto it = topics.find(topic);
        if (it == topics.end() || partition < 0 ||
            partition >= static_cast<int>(it->second.partitions.size()))
            return nullptr;
        return &it->second.partitions[static_cast<std::size_t>(partition)];
    }

    static std::int64_t append_to(partition_log& log, batch_bytes batch) {
        const auto base = log.end;
        proto::restamp change;
        change.base_offset = base;
        proto::restamp_batch(batch, change);
        auto h = proto::parse_batch_header(batch);
        log.end = h.last_offset() + 1;
        log.batches.push_back({base, h.last_offset(), std::move(batch)});
        return base;
    }

    // ---- requests -------------------------------------------------------------

    frame api_versions(const proto::request_header& h) {
        proto::api_versions_response resp;
        for (auto key : served) {
            auto range = proto::client_range(key);
            resp.api_keys.push_back({static_cast<std::int16_t>(key), range.min, range.max});
        }
        return encode_response(h, resp);
    }

    frame metadata(const proto::request_header& h, proto::reader& r) {
        auto req = proto::metadata_request::decode(r, h.version);
        proto::metadata_response resp;
        resp.brokers.push_back({0, "127.0.0.1", acceptor.local_endpoint().port(), std::nullopt});
        resp.cluster_id = "fake-cluster";
        resp.controller_id = 0;
        std::lock_guard lock(mutex);
        std::vector<std::string> names;
        if (req.topics)
            for (auto& t : *req.topics) names.push_back(t.name.value_or(""));
        else
            for (auto& [name, t] : topics) names.push_back(name);
        for (auto& name : names) {
            proto::metadata_response::topic t;
            t.name = name;
            auto it = topics.find(name);
            if (it == topics.end()) {
                t.error_code = proto::err::unknown_topic_or_partition;
            } else {
                t.topic_id = it->second.id;
                for (std::size_t p = 0; p < it->second.partitions.size(); ++p) {
                    proto::metadata_response::partition mp;
                    mp.partition_index = static_cast<std::int32_t>(p);
                    mp.leader_id = 0;
                    mp.leader_epoch = 0;
                    mp.replica_nodes = {0};
                    mp.isr_nodes = {0};
                    t.partitions.push_back(mp);
                }
            }
            resp.topics.push_back(std::move(t));
        }
        return encode_response(h, resp);
    }

    // The batches from `offset` on, at least one, up to `max_bytes`.
    static proto::fetch_response::partition read_log(const partition_log& log, std::int32_t index,
                                                     std::int64_t offset, std::int32_t max_bytes) {
        proto::fetch_response::partition out;
        out.partition_index = index;
        out.high_watermark = out.last_stable_offset = log.end;
        out.log_start_offset = 0;
        out.aborted_transactions.emplace();
        if (offset > log.end) {
            out.error_code = proto::err::offset_out_of_range;
            return out;
        }
        frame bytes;
        for (auto& b : log.batches) {
            if (b.last < offset) continue;
            if (!bytes.empty() && bytes.size() + b.bytes.size() > std::size_t(max_bytes)) break;
            bytes.insert(bytes.end(), b.bytes.begin(), b.bytes.end());
        }
        out.records = runtime::shared_buffer::copy_of(bytes);
        return out;
    }

    // Returns the response and whether it holds no records (the caller then waits a little).
    std::pair<frame, bool> fetch(const proto::request_header& h, proto::reader& r) {
        auto req = proto::fetch_request::decode(r, h.version);
        proto::fetch_response resp;
        bool empty = true;
        std::lock_guard lock(mutex);
        ++fetch_count;
        for (auto& t : req.topics) {
            proto::fetch_response::topic rt;
            rt.name = t.name;
            for (auto& p : t.partitions) {
                fetch_offset_max = std::max(fetch_offset_max, p.fetch_offset);
                auto* log = find(t.name, p.partition_index);
                proto::fetch_response::partition rp;
                if (!log) {
                    rp.partition_index = p.partition_index;
                    rp.error_code = proto::err::unknown_topic_or_partition;
                } else {
                    rp = read_log(*log, p.partition_index, p.fetch_offset, p.partition_max_bytes);
                }
                empty = empty && rp.records.size() == 0;
                rt.partitions.push_back(std::move(rp));
            }
            resp.responses.push_back(std::move(rt));
        }
        return {encode_response(h, resp), empty};
    }

    frame list_offsets(const proto::request_header& h, proto::reader& r) {
        auto req = proto::list_offsets_request::decode(r, h.version);
        proto::list_offsets_response resp;
        std::lock_guard lock(mutex);
        for (auto& t : req.topics) {
            proto::list_offsets_response::topic rt;
            rt.name = t.name;
            for (auto& p : t.partitions) {
                proto::list_offsets_response::partition rp;
                rp.partition_index = p.partition_index;
                auto* log = find(t.name, p.partition_index);
                if (!log)
                    rp.error_code = proto::err::unknown_topic_or_partition;
                else
                    rp.offset = p.timestamp == proto::earliest_timestamp ? 0 : log->end;
                rp.old_style_offsets = {rp.offset};
                rt.partitions.push_back(rp);
            }
            resp.topics.push_back(std::move(rt));
        }
        return encode_response(h, resp);
    }

    frame init_producer_id(const proto::request_header& h, proto::reader& r) {
        (void)proto::init_producer_id_request::decode(r, h.version);
        proto::init_producer_id_response resp;
        std::lock_guard lock(mutex);
        resp.producer_id = next_producer_id++;
        resp.producer_epoch = 0;
        return encode_response(h, resp);
    }

    frame produce(const proto::request_header& h, proto::reader& r, int number) {
        auto req = proto::produce_request::decode(r, h.version);
        proto::produce_response resp;
        std::lock_guard lock(mutex);
        auto failure = produce_failures.find(number);
        for (auto& t : req.topic_data) {
            proto::produce_response::topic rt;
            rt.name = t.name;
            for (auto& p : t.partition_data) {
                proto::produce_response::partition rp;
                rp.index = p.index;
                rp.log_start_offset = 0;
                auto* log = find(t.name, p.index);
                if (failure != produce_failures.end()) {
                    rp.error_code = failure->second;
                } else if (!log) {
                    rp.error_code = proto::err::unknown_topic_or_partition;
                } else {
                    for (auto& b : proto::split_batches(p.records)) {
                        auto bytes = b.bytes.bytes();
                        auto at = append_to(*log, batch_bytes(bytes.begin(), bytes.end()));
                        if (rp.base_offset < 0) rp.base_offset = at;
                    }
                }
                rt.partition_responses.push_back(std::move(rp));
            }
            resp.responses.push_back(std::move(rt));
        }
        return encode_response(h, resp);
    }

    // ---- connections ----------------------------------------------------------

    struct session {
        explicit session(tcp::socket s) : socket(std::move(s)), queue(socket.get_executor(), 256) {}
        tcp::socket socket;
        runtime::bounded_channel<frame> queue;  // read, not yet answered
    };

    awaitable<void> read_requests(std::shared_ptr<session> s) {
        try {
            for (;;) {
                std::array<std::byte, 4> size_bytes{};
                co_await asio::async_read(s->socket, asio::buffer(size_bytes), asio::use_awaitable);
                proto::reader size_reader(size_bytes);
                frame f(static_cast<std::size_t>(size_reader.int32()));
                co_await asio::async_read(s->socket, asio::buffer(f), asio::use_awaitable);
                proto::reader r(f);
                if (proto::read_request_header(r).key == proto::api_key::Produce) {
                    std::lock_guard lock(mutex);
                    ++produce_count;
                    produce_in_flight_max = std::max(produce_in_flight_max, ++produce_in_flight);
                }
                co_await s->queue.send(std::move(f));
            }
        } catch (...) {
        }
        s->queue.cancel();
    }

    bool held() const {
        std::lock_guard lock(mutex);
        return produce_held;
    }

    awaitable<void> answer_requests(std::shared_ptr<session> s) {
        int produce_number = 0;
        try {
            while (auto f = co_await s->queue.receive()) {
                proto::reader r(*f);
                auto h = proto::read_request_header(r);
                frame out;
                switch (h.key) {
                    case proto::api_key::ApiVersions:
                        out = api_versions(h);
                        break;
                    case proto::api_key::Metadata:
                        out = metadata(h, r);
                        break;
                    case proto::api_key::Fetch: {
                        auto [bytes, empty] = fetch(h, r);
                        if (empty) co_await sleep_for(std::chrono::milliseconds(20));
                        out = std::move(bytes);
                        break;
                    }
                    case proto::api_key::ListOffsets:
                        out = list_offsets(h, r);
                        break;
                    case proto::api_key::InitProducerId:
                        out = init_producer_id(h, r);
                        break;
                    case proto::api_key::Produce:
                        while (held()) co_await sleep_for(std::chrono::milliseconds(2));
                        {
                            std::lock_guard lock(mutex);
                            produce_number = ++answered_produce;
                        }
                        out = produce(h, r, produce_number);
                        break;
                    default:
                        throw std::runtime_error("fake_broker: unexpected request");
                }
                co_await asio::async_write(s->socket, asio::buffer(out), asio::use_awaitable);
                if (h.key == proto::api_key::Produce) {
                    std::lock_guard lock(mutex);
                    --produce_in_flight;
                }
            }
        } catch (...) {
        }
        boost::system::error_code ignored;
        s->socket.close(ignored);
    }

    awaitable<void> accept_loop() {
        for (;;) {
            auto socket = co_await acceptor.async_accept(asio::use_awaitable);
            auto s = std::make_shared<session>(std::move(socket));
            asio::co_spawn(server.io(), read_requests(s), asio::detached);
            asio::co_spawn(server.io(), answer_requests(s), asio::detached);
        }
    }

    int answered_produce = 0;  // Produce requests taken up for an answer, in order
};

fake_broker::fake_broker() : impl_(std::make_unique<impl>()) {
    asio::co_spawn(impl_->server.io(), impl_->accept_loop(), asio::detached);
}

fake_broker::~fake_broker() {
    impl_->server.stop();
}

std::string fake_broker::bootstrap() const {
    return "127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

void fake_broker::add_topic(const std::string& name, int partitions) {
    std::lock_guard lock(impl_->mutex);
    auto& t = impl_->topics[name];
    t.id.bytes[0] = std::byte{0x42};
    t.id.bytes[1] = static_cast<std::byte>(impl_->topics.size());
    t.partitions.resize(static_cast<std::size_t>(partitions));
}

std::int64_t fake_broker::append(const std::string& topic, int partition, batch_bytes batch) {
    std::lock_guard lock(impl_->mutex);
    auto* log = impl_->find(topic, partition);
    if (!log) throw std::invalid_argument("fake_broker: no partition " + topic);
    return impl::append_to(*log, std::move(batch));
}

std::vector<batch_bytes> fake_broker::log(const std::string& topic, int partition) const {
    std::lock_guard lock(impl_->mutex);
    std::vector<batch_bytes> out;
    if (auto* log = impl_->find(topic, partition))
        for (auto& b : log->batches) out.push_back(b.bytes);
    return out;
}

std::int64_t fake_broker::end_offset(const std::string& topic, int partition) const {
    std::lock_guard lock(impl_->mutex);
    auto* log = impl_->find(topic, partition);
    return log ? log->end : -1;
}

void fake_broker::fail_produce(int nth, std::int16_t error_code) {
    std::lock_guard lock(impl_->mutex);
    impl_->produce_failures[nth] = error_code;
}

void fake_broker::hold_produce(bool held) {
    std::lock_guard lock(impl_->mutex);
    impl_->produce_held = held;
}

int fake_broker::produce_requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->produce_count;
}

int fake_broker::max_produce_in_flight() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->produce_in_flight_max;
}

int fake_broker::produce_in_flight() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->produce_in_flight;
}

int fake_broker::fetch_requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->fetch_count;
}

std::int64_t fake_broker::max_fetch_offset() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->fetch_offset_max;
}

}  // namespace kb::test
