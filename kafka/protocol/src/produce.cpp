// Produce request/response (schemas ProduceRequest/Response.json, v3-11).

#include <kb/kafka/protocol/produce.hpp>

#include "codec_util.hpp"

#include <algorithm>

namespace kb::kafka::protocol {
using namespace detail;

namespace {
constexpr uint32_t tag_current_leader = 0;  // response partition, v10+
constexpr uint32_t tag_node_endpoints = 0;  // response, v10+
}  // namespace

bool operator==(const produce_request::partition& a, const produce_request::partition& b) {
    const auto ra = a.records.bytes();
    const auto rb = b.records.bytes();
    return a.index == b.index && std::equal(ra.begin(), ra.end(), rb.begin(), rb.end());
}

void produce_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    w.nullable_string(transactional_id, flex);  // v3+ (our minimum)
    w.int16(acks);
    w.int32(timeout_ms);
    write_array(w, topic_data, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partition_data, flex, [&](const partition& p) {
            w.int32(p.index);
            w.bytes(p.records.bytes(), flex);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

std::size_t produce_request::records_tail(int16_t v) {
    // The partition's, the topic's and the request's empty tagged fields: one byte each.
    return is_flexible(key, v) ? 3 : 0;
}

produce_request produce_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    produce_request req;
    req.transactional_id = r.nullable_string(flex);
    req.acks = r.int16();
    req.timeout_ms = r.int32();
    req.topic_data = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partition_data = read_array<partition>(r, flex, [&] {
            partition p;
            p.index = r.int32();
            const auto records = r.nullable_bytes_view(flex);
            if (records) p.records = runtime::shared_buffer::copy_of(*records);
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
    end_struct(r, flex);
    return req;
}

namespace {

void write_partition(writer& w, const produce_response::partition& p, int16_t v, bool flex) {
    w.int32(p.index);
    w.int16(p.error_code);
    w.int64(p.base_offset);
    w.int64(p.log_append_time_ms);  // v2+
    if (v >= 5) w.int64(p.log_start_offset);
    if (v >= 8) {
        write_array(w, p.record_errors, flex, [&](const produce_response::record_error& e) {
            w.int32(e.batch_index);
            w.nullable_string(e.batch_index_error_message, flex);
            end_struct(w, flex);
        });
        w.nullable_string(p.error_message, flex);
    }
    if (!flex) return;
    tagged_fields tags;
    if (v >= 10 && p.current_leader)
        tags.push_back(
            make_tag(tag_current_leader, [&](writer& t) { write_leader(t, *p.current_leader); }));
    w.tagged_fields(tags);
}

produce_response::partition read_partition(reader& r, int16_t v, bool flex) {
    produce_response::partition p;
    p.index = r.int32();
    p.error_code = r.int16();
    p.base_offset = r.int64();
    p.log_append_time_ms = r.int64();
    if (v >= 5) p.log_start_offset = r.int64();
    if (v >= 8) {
        p.record_errors = read_array<produce_response::record_error>(r, flex, [&] {
            produce_response::record_error e;
            e.batch_index = r.int32();
            e.batch_index_error_message = r.nullable_string(flex);
            end_struct(r, flex);
            return e;
        });
        p.error_message = r.nullable_string(flex);
    }
    if (flex) {
        read_tags(r, [&](uint32_t tag, reader& t) {
            if (tag == tag_current_leader && v >= 10) p.current_leader = read_leader(t);
        });
    }
    return p;
}

}  // namespace

void produce_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::Produce, v);
    write_array(w, responses, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partition_responses, flex,
                    [&](const partition& p) { write_partition(w, p, v, flex); });
        end_struct(w, flex);
    });
    w.int32(throttle_time_ms);
    if (!flex) return;
    tagged_fields tags;
    if (v >= 10 && !node_endpoints.empty())
        tags.push_back(make_tag(tag_node_endpoints,
                                [&](writer& t) { write_node_endpoints(t, node_endpoints); }));
    w.tagged_fields(tags);
}

produce_response produce_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::Produce, v);
    produce_response resp;
    resp.responses = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partition_responses =
            read_array<partition>(r, flex, [&] { return read_partition(r, v, flex); });
        end_struct(r, flex);
        return t;
    });
    resp.throttle_time_ms = r.int32();
    if (flex) {
        read_tags(r, [&](uint32_t tag, reader& t) {
            if (tag == tag_node_endpoints && v >= 10) resp.node_endpoints = read_node_endpoints(t);
        });
    }
    return resp;
}

}  // namespace kb::kafka::protocol
