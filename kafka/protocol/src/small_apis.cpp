// The small APIs: DescribeCluster (v0-1), InitProducerId (v0-5), DeleteRecords (v0-2),
// SaslHandshake (v0-1) and SaslAuthenticate (v0-2).

#include <kb/kafka/protocol/delete_records.hpp>
#include <kb/kafka/protocol/describe_cluster.hpp>
#include <kb/kafka/protocol/init_producer_id.hpp>
#include <kb/kafka/protocol/sasl.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

// ---- DescribeCluster: flexible in every version ----

void describe_cluster_request::encode(writer& w, int16_t v) const {
    w.boolean(include_cluster_authorized_operations);
    if (v >= 1) w.int8(endpoint_type);
    w.empty_tagged_fields();
}

describe_cluster_request describe_cluster_request::decode(reader& r, int16_t v) {
    describe_cluster_request req;
    req.include_cluster_authorized_operations = r.boolean();
    if (v >= 1) req.endpoint_type = r.int8();
    r.skip_tagged_fields();
    return req;
}

void describe_cluster_response::encode(writer& w, int16_t v) const {
    w.int32(throttle_time_ms);
    w.int16(error_code);
    w.compact_nullable_string(error_message);
    if (v >= 1) w.int8(endpoint_type);
    w.compact_string(cluster_id);
    w.int32(controller_id);
    write_array(w, brokers, true, [&](const broker& b) {
        w.int32(b.broker_id);
        w.compact_string(b.host);
        w.int32(b.port);
        w.compact_nullable_string(b.rack);
        w.empty_tagged_fields();
    });
    w.int32(cluster_authorized_operations);
    w.empty_tagged_fields();
}

describe_cluster_response describe_cluster_response::decode(reader& r, int16_t v) {
    describe_cluster_response resp;
    resp.throttle_time_ms = r.int32();
    resp.error_code = r.int16();
    resp.error_message = r.compact_nullable_string();
    if (v >= 1) resp.endpoint_type = r.int8();
    resp.cluster_id = r.compact_string();
    resp.controller_id = r.int32();
    resp.brokers = read_array<broker>(r, true, [&] {
        broker b;
        b.broker_id = r.int32();
        b.host = r.compact_string();
        b.port = r.int32();
        b.rack = r.compact_nullable_string();
        r.skip_tagged_fields();
        return b;
    });
    resp.cluster_authorized_operations = r.int32();
    r.skip_tagged_fields();
    return resp;
}

// ---- InitProducerId ----

void init_producer_id_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    w.nullable_string(transactional_id, flex);
    w.int32(transaction_timeout_ms);
    if (v >= 3) {
        w.int64(producer_id);
        w.int16(producer_epoch);
    }
    end_struct(w, flex);
}

init_producer_id_request init_producer_id_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    init_producer_id_request req;
    req.transactional_id = r.nullable_string(flex);
    req.transaction_timeout_ms = r.int32();
    if (v >= 3) {
        req.producer_id = r.int64();
        req.producer_epoch = r.int16();
    }
    end_struct(r, flex);
    return req;
}

void init_producer_id_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::InitProducerId, v);
    w.int32(throttle_time_ms);
    w.int16(error_code);
    w.int64(producer_id);
    w.int16(producer_epoch);
    end_struct(w, flex);
}

init_producer_id_response init_producer_id_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::InitProducerId, v);
    init_producer_id_response resp;
    resp.throttle_time_ms = r.int32();
    resp.error_code = r.int16();
    resp.producer_id = r.int64();
    resp.producer_epoch = r.int16();
    end_struct(r, flex);
    return resp;
}

// ---- DeleteRecords ----

void delete_records_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partitions, flex, [&](const partition& p) {
            w.int32(p.partition_index);
            w.int64(p.offset);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    w.int32(timeout_ms);
    end_struct(w, flex);
}

delete_records_request delete_records_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    delete_records_request req;
    req.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partitions = read_array<partition>(r, flex, [&] {
            partition p;
            p.partition_index = r.int32();
            p.offset = r.int64();
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
    req.timeout_ms = r.int32();
    end_struct(r, flex);
    return req;
}

void delete_records_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::DeleteRecords, v);
    w.int32(throttle_time_ms);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partitions, flex, [&](const partition& p) {
            w.int32(p.partition_index);
            w.int64(p.low_watermark);
            w.int16(p.error_code);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

delete_records_response delete_records_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::DeleteRecords, v);
    delete_records_response resp;
    resp.throttle_time_ms = r.int32();
    resp.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partitions = read_array<partition>(r, flex, [&] {
            partition p;
            p.partition_index = r.int32();
            p.low_watermark = r.int64();
            p.error_code = r.int16();
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
    end_struct(r, flex);
    return resp;
}

// ---- SASL ----

void sasl_handshake_request::encode(writer& w, int16_t) const {
    w.string(mechanism);
}

sasl_handshake_request sasl_handshake_request::decode(reader& r, int16_t) {
    return {r.string()};
}

void sasl_handshake_response::encode(writer& w, int16_t) const {
    w.int16(error_code);
    write_strings(w, mechanisms, false);
}

sasl_handshake_response sasl_handshake_response::decode(reader& r, int16_t) {
    sasl_handshake_response resp;
    resp.error_code = r.int16();
    resp.mechanisms = read_strings(r, false);
    return resp;
}

void sasl_authenticate_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    w.bytes(auth_bytes, flex);
    end_struct(w, flex);
}

sasl_authenticate_request sasl_authenticate_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    sasl_authenticate_request req;
    req.auth_bytes = r.bytes(flex);
    end_struct(r, flex);
    return req;
}

void sasl_authenticate_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::SaslAuthenticate, v);
    w.int16(error_code);
    w.nullable_string(error_message, flex);
    w.bytes(auth_bytes, flex);
    if (v >= 1) w.int64(session_lifetime_ms);
    end_struct(w, flex);
}

sasl_authenticate_response sasl_authenticate_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::SaslAuthenticate, v);
    sasl_authenticate_response resp;
    resp.error_code = r.int16();
    resp.error_message = r.nullable_string(flex);
    resp.auth_bytes = r.bytes(flex);
    if (v >= 1) resp.session_lifetime_ms = r.int64();
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
