// ListOffsets request/response (schemas ListOffsetsRequest/Response.json, v1-10).

#include <kb/kafka/protocol/list_offsets.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void list_offsets_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    w.int32(replica_id);
    if (v >= 2) w.int8(isolation_level);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partitions, flex, [&](const partition& p) {
            w.int32(p.partition_index);
            if (v >= 4) w.int32(p.current_leader_epoch);
            w.int64(p.timestamp);
            if (v == 0) w.int32(p.max_num_offsets);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    if (v >= 10) w.int32(timeout_ms);
    end_struct(w, flex);
}

list_offsets_request list_offsets_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    list_offsets_request req;
    req.replica_id = r.int32();
    if (v >= 2) req.isolation_level = r.int8();
    req.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partitions = read_array<partition>(r, flex, [&] {
            partition p;
            p.partition_index = r.int32();
            if (v >= 4) p.current_leader_epoch = r.int32();
            p.timestamp = r.int64();
            if (v == 0) p.max_num_offsets = r.int32();
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
    if (v >= 10) req.timeout_ms = r.int32();
    end_struct(r, flex);
    return req;
}

void list_offsets_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::ListOffsets, v);
    if (v >= 2) w.int32(throttle_time_ms);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partitions, flex, [&](const partition& p) {
            w.int32(p.partition_index);
            w.int16(p.error_code);
            if (v == 0) {
                write_array(w, p.old_style_offsets, flex, [&](int64_t o) { w.int64(o); });
            } else {
                w.int64(p.timestamp);
                w.int64(p.offset);
            }
            if (v >= 4) w.int32(p.leader_epoch);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

list_offsets_response list_offsets_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::ListOffsets, v);
    list_offsets_response resp;
    if (v >= 2) resp.throttle_time_ms = r.int32();
    resp.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partitions = read_array<partition>(r, flex, [&] {
            partition p;
            p.partition_index = r.int32();
            p.error_code = r.int16();
            if (v == 0) {
                p.old_style_offsets = read_array<int64_t>(r, flex, [&] { return r.int64(); });
            } else {
                p.timestamp = r.int64();
                p.offset = r.int64();
            }
            if (v >= 4) p.leader_epoch = r.int32();
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
