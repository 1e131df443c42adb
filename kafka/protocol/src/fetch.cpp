// Fetch request/response (schemas FetchRequest/Response.json, v4-17). Response record
// sets stay in the response buffer: partition.records is a slice of it.

#include <kb/kafka/protocol/fetch.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

namespace {

constexpr uint32_t tag_cluster_id = 0;      // request, v12+
constexpr uint32_t tag_current_leader = 1;  // response partition, v12+
constexpr uint32_t tag_node_endpoints = 0;  // response, v16+

void write_request_partition(writer& w, const fetch_request::partition& p, int16_t v, bool flex) {
    w.int32(p.partition_index);
    if (v >= 9) w.int32(p.current_leader_epoch);
    w.int64(p.fetch_offset);
    if (v >= 12) w.int32(p.last_fetched_epoch);
    if (v >= 5) w.int64(p.log_start_offset);
    w.int32(p.partition_max_bytes);
    end_struct(w, flex);
}

fetch_request::partition read_request_partition(reader& r, int16_t v, bool flex) {
    fetch_request::partition p;
    p.partition_index = r.int32();
    if (v >= 9) p.current_leader_epoch = r.int32();
    p.fetch_offset = r.int64();
    if (v >= 12) p.last_fetched_epoch = r.int32();
    if (v >= 5) p.log_start_offset = r.int64();
    p.partition_max_bytes = r.int32();
    end_struct(r, flex);
    return p;
}

// Topics are named before v13 and identified by id from v13.
template <class T>
void write_topic_ref(writer& w, const T& t, int16_t v, bool flex) {
    if (v >= 13) {
        w.uuid(t.topic_id);
    } else {
        w.string(t.name, flex);
    }
}

template <class T>
void read_topic_ref(reader& r, T& t, int16_t v, bool flex) {
    if (v >= 13) {
        t.topic_id = r.uuid();
    } else {
        t.name = r.string(flex);
    }
}

}  // namespace

void fetch_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    if (v <= 14) w.int32(replica_id);
    w.int32(max_wait_ms);
    w.int32(min_bytes);
    if (v >= 3) w.int32(max_bytes);
    if (v >= 4) w.int8(isolation_level);
    if (v >= 7) {
        w.int32(session_id);
        w.int32(session_epoch);
    }
    write_array(w, topics, flex, [&](const topic& t) {
        write_topic_ref(w, t, v, flex);
        write_array(w, t.partitions, flex,
                    [&](const partition& p) { write_request_partition(w, p, v, flex); });
        end_struct(w, flex);
    });
    if (v >= 7) {
        write_array(w, forgotten_topics_data, flex, [&](const forgotten_topic& t) {
            write_topic_ref(w, t, v, flex);
            write_int32s(w, t.partitions, flex);
            end_struct(w, flex);
        });
    }
    if (v >= 11) w.string(rack_id, flex);
    if (!flex) return;
    tagged_fields tags;
    if (cluster_id)
        tags.push_back(
            make_tag(tag_cluster_id, [&](writer& t) { t.compact_nullable_string(cluster_id); }));
    w.tagged_fields(tags);
}

fetch_request fetch_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    fetch_request req;
    if (v <= 14) req.replica_id = r.int32();
    req.max_wait_ms = r.int32();
    req.min_bytes = r.int32();
    if (v >= 3) req.max_bytes = r.int32();
    if (v >= 4) req.isolation_level = r.int8();
    if (v >= 7) {
        req.session_id = r.int32();
        req.session_epoch = r.int32();
    }
    req.topics = read_array<topic>(r, flex, [&] {
        topic t;
        read_topic_ref(r, t, v, flex);
        t.partitions =
            read_array<partition>(r, flex, [&] { return read_request_partition(r, v, flex); });
        end_struct(r, flex);
        return t;
    });
    if (v >= 7) {
        req.forgotten_topics_data = read_array<forgotten_topic>(r, flex, [&] {
            forgotten_topic t;
            read_topic_ref(r, t, v, flex);
            t.partitions = read_int32s(r, flex);
            end_struct(r, flex);
            return t;
        });
    }
    if (v >= 11) req.rack_id = r.string(flex);
    if (flex) {
        read_tags(r, [&](uint32_t tag, reader& t) {
            if (tag == tag_cluster_id) req.cluster_id = t.compact_nullable_string();
        });
    }
    return req;
}

bool operator==(const fetch_response::partition& a, const fetch_response::partition& b) {
    const auto ra = a.records.bytes();
    const auto rb = b.records.bytes();
    return a.partition_index == b.partition_index && a.error_code == b.error_code &&
           a.high_watermark == b.high_watermark && a.last_stable_offset == b.last_stable_offset &&
           a.log_start_offset == b.log_start_offset && a.current_leader == b.current_leader &&
           a.aborted_transactions == b.aborted_transactions &&
           a.preferred_read_replica == b.preferred_read_replica &&
           a.records_null == b.records_null &&
           std::equal(ra.begin(), ra.end(), rb.begin(), rb.end());
}

namespace {

void write_response_partition(writer& w, const fetch_response::partition& p, int16_t v, bool flex) {
    w.int32(p.partition_index);
    w.int16(p.error_code);
    w.int64(p.high_watermark);
    w.int64(p.last_stable_offset);  // v4+ (our minimum)
    if (v >= 5) w.int64(p.log_start_offset);
    write_nullable_array(w, p.aborted_transactions, flex,
                         [&](const fetch_response::aborted_transaction& a) {
                             w.int64(a.producer_id);
                             w.int64(a.first_offset);
                             end_struct(w, flex);
                         });
    if (v >= 11) w.int32(p.preferred_read_replica);
    if (p.records_null) {
        w.nullable_bytes(std::nullopt, flex);
    } else {
        w.bytes(p.records.bytes(), flex);
    }
    if (!flex) return;
    tagged_fields tags;
    if (p.current_leader)
        tags.push_back(
            make_tag(tag_current_leader, [&](writer& t) { write_leader(t, *p.current_leader); }));
    w.tagged_fields(tags);
}

// A view inside `owner` becomes a slice of it; anything else is copied.
runtime::shared_buffer slice_of(const runtime::shared_buffer& owner, byte_span view) {
    const auto all = owner.bytes();
    if (!all.empty() && view.data() >= all.data() &&
        view.data() + view.size() <= all.data() + all.size())
        return owner.slice(std::size_t(view.data() - all.data()), view.size());
    return runtime::shared_buffer::copy_of(view);
}

fetch_response::partition read_response_partition(reader& r, int16_t v, bool flex,
                                                  const runtime::shared_buffer& owner) {
    fetch_response::partition p;
    p.partition_index = r.int32();
    p.error_code = r.int16();
    p.high_watermark = r.int64();
    p.last_stable_offset = r.int64();
    if (v >= 5) p.log_start_offset = r.int64();
    p.aborted_transactions = read_nullable_array<fetch_response::aborted_transaction>(r, flex, [&] {
        fetch_response::aborted_transaction a;
        a.producer_id = r.int64();
        a.first_offset = r.int64();
        end_struct(r, flex);
        return a;
    });
    if (v >= 11) p.preferred_read_replica = r.int32();
    const auto records = r.nullable_bytes_view(flex);
    p.records_null = !records;
    if (records) p.records = slice_of(owner, *records);
    if (flex) {
        read_tags(r, [&](uint32_t tag, reader& t) {
            if (tag == tag_current_leader) p.current_leader = read_leader(t);
        });
    }
    return p;
}

}  // namespace

void fetch_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::Fetch, v);
    w.int32(throttle_time_ms);  // v1+ (our minimum is 4)
    if (v >= 7) {
        w.int16(error_code);
        w.int32(session_id);
    }
    write_array(w, responses, flex, [&](const topic& t) {
        write_topic_ref(w, t, v, flex);
        write_array(w, t.partitions, flex,
                    [&](const partition& p) { write_response_partition(w, p, v, flex); });
        end_struct(w, flex);
    });
    if (!flex) return;
    tagged_fields tags;
    if (v >= 16 && !node_endpoints.empty())
        tags.push_back(make_tag(tag_node_endpoints,
                                [&](writer& t) { write_node_endpoints(t, node_endpoints); }));
    w.tagged_fields(tags);
}

fetch_response fetch_response::decode(reader& r, int16_t v, const runtime::shared_buffer& owner) {
    const bool flex = is_flexible(api_key::Fetch, v);
    fetch_response resp;
    resp.throttle_time_ms = r.int32();
    if (v >= 7) {
        resp.error_code = r.int16();
        resp.session_id = r.int32();
    }
    resp.responses = read_array<topic>(r, flex, [&] {
        topic t;
        read_topic_ref(r, t, v, flex);
        t.partitions = read_array<partition>(
            r, flex, [&] { return read_response_partition(r, v, flex, owner); });
        end_struct(r, flex);
        return t;
    });
    if (flex) {
        read_tags(r, [&](uint32_t tag, reader& t) {
            if (tag == tag_node_endpoints && v >= 16) resp.node_endpoints = read_node_endpoints(t);
        });
    }
    return resp;
}

}  // namespace kb::kafka::protocol
