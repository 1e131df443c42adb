// Metadata request/response (schemas MetadataRequest/Response.json, v1-12).

#include <kb/kafka/protocol/metadata.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void metadata_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    auto write_topic = [&](const topic& t) {
        if (v >= 10) w.uuid(t.topic_id);
        if (v >= 10) {
            w.nullable_string(t.name, flex);
        } else {
            w.string(t.name.value_or(""), flex);
        }
        end_struct(w, flex);
    };
    if (v == 0 && !topics) {
        w.array_length(0);  // v0 has no null: empty means all topics
    } else {
        write_nullable_array(w, topics, flex, write_topic);
    }
    if (v >= 4) w.boolean(allow_auto_topic_creation);
    if (v >= 8 && v <= 10) w.boolean(include_cluster_authorized_operations);
    if (v >= 8) w.boolean(include_topic_authorized_operations);
    end_struct(w, flex);
}

metadata_request metadata_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    metadata_request req;
    req.topics = read_nullable_array<topic>(r, flex, [&] {
        topic t;
        if (v >= 10) t.topic_id = r.uuid();
        t.name = v >= 10 ? r.nullable_string(flex) : std::optional(r.string(flex));
        end_struct(r, flex);
        return t;
    });
    if (v == 0 && req.topics && req.topics->empty()) req.topics.reset();
    if (v >= 4) req.allow_auto_topic_creation = r.boolean();
    if (v >= 8 && v <= 10) req.include_cluster_authorized_operations = r.boolean();
    if (v >= 8) req.include_topic_authorized_operations = r.boolean();
    end_struct(r, flex);
    return req;
}

namespace {

void write_partition(writer& w, const metadata_response::partition& p, int16_t v, bool flex) {
    w.int16(p.error_code);
    w.int32(p.partition_index);
    w.int32(p.leader_id);
    if (v >= 7) w.int32(p.leader_epoch);
    write_int32s(w, p.replica_nodes, flex);
    write_int32s(w, p.isr_nodes, flex);
    if (v >= 5) write_int32s(w, p.offline_replicas, flex);
    end_struct(w, flex);
}

metadata_response::partition read_partition(reader& r, int16_t v, bool flex) {
    metadata_response::partition p;
    p.error_code = r.int16();
    p.partition_index = r.int32();
    p.leader_id = r.int32();
    if (v >= 7) p.leader_epoch = r.int32();
    p.replica_nodes = read_int32s(r, flex);
    p.isr_nodes = read_int32s(r, flex);
    if (v >= 5) p.offline_replicas = read_int32s(r, flex);
    end_struct(r, flex);
    return p;
}

void write_topic(writer& w, const metadata_response::topic& t, int16_t v, bool flex) {
    w.int16(t.error_code);
    if (v >= 12) {
        w.nullable_string(t.name, flex);
    } else {
        w.string(t.name.value_or(""), flex);
    }
    if (v >= 10) w.uuid(t.topic_id);
    if (v >= 1) w.boolean(t.is_internal);
    write_array(w, t.partitions, flex, [&](const auto& p) { write_partition(w, p, v, flex); });
    if (v >= 8) w.int32(t.topic_authorized_operations);
    end_struct(w, flex);
}

metadata_response::topic read_topic(reader& r, int16_t v, bool flex) {
    metadata_response::topic t;
    t.error_code = r.int16();
    t.name = v >= 12 ? r.nullable_string(flex) : std::optional(r.string(flex));
    if (v >= 10) t.topic_id = r.uuid();
    if (v >= 1) t.is_internal = r.boolean();
    t.partitions = read_array<metadata_response::partition>(
        r, flex, [&] { return read_partition(r, v, flex); });
    if (v >= 8) t.topic_authorized_operations = r.int32();
    end_struct(r, flex);
    return t;
}

}  // namespace

void metadata_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::Metadata, v);
    if (v >= 3) w.int32(throttle_time_ms);
    write_array(w, brokers, flex, [&](const broker& b) {
        w.int32(b.node_id);
        w.string(b.host, flex);
        w.int32(b.port);
        if (v >= 1) w.nullable_string(b.rack, flex);
        end_struct(w, flex);
    });
    if (v >= 2) w.nullable_string(cluster_id, flex);
    if (v >= 1) w.int32(controller_id);
    write_array(w, topics, flex, [&](const topic& t) { write_topic(w, t, v, flex); });
    if (v >= 8 && v <= 10) w.int32(cluster_authorized_operations);
    end_struct(w, flex);
}

metadata_response metadata_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::Metadata, v);
    metadata_response resp;
    if (v >= 3) resp.throttle_time_ms = r.int32();
    resp.brokers = read_array<broker>(r, flex, [&] {
        broker b;
        b.node_id = r.int32();
        b.host = r.string(flex);
        b.port = r.int32();
        if (v >= 1) b.rack = r.nullable_string(flex);
        end_struct(r, flex);
        return b;
    });
    if (v >= 2) resp.cluster_id = r.nullable_string(flex);
    if (v >= 1) resp.controller_id = r.int32();
    resp.topics = read_array<topic>(r, flex, [&] { return read_topic(r, v, flex); });
    if (v >= 8 && v <= 10) resp.cluster_authorized_operations = r.int32();
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
