// OffsetCommit request/response (schemas OffsetCommitRequest/Response.json, v2-9).

#include <kb/kafka/protocol/offset_commit.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void offset_commit_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    w.string(group_id, flex);
    if (v >= 1) {
        w.int32(generation_id_or_member_epoch);
        w.string(member_id, flex);
    }
    if (v >= 7) w.nullable_string(group_instance_id, flex);
    if (v >= 2 && v <= 4) w.int64(retention_time_ms);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partitions, flex, [&](const partition& p) {
            w.int32(p.partition_index);
            w.int64(p.committed_offset);
            if (v >= 6) w.int32(p.committed_leader_epoch);
            if (v == 1) w.int64(p.commit_timestamp);
            w.nullable_string(p.committed_metadata, flex);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

offset_commit_request offset_commit_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    offset_commit_request req;
    req.group_id = r.string(flex);
    if (v >= 1) {
        req.generation_id_or_member_epoch = r.int32();
        req.member_id = r.string(flex);
    }
    if (v >= 7) req.group_instance_id = r.nullable_string(flex);
    if (v >= 2 && v <= 4) req.retention_time_ms = r.int64();
    req.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partitions = read_array<partition>(r, flex, [&] {
            partition p;
            p.partition_index = r.int32();
            p.committed_offset = r.int64();
            if (v >= 6) p.committed_leader_epoch = r.int32();
            if (v == 1) p.commit_timestamp = r.int64();
            p.committed_metadata = r.nullable_string(flex);
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
    end_struct(r, flex);
    return req;
}

void offset_commit_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::OffsetCommit, v);
    if (v >= 3) w.int32(throttle_time_ms);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partitions, flex, [&](const partition& p) {
            w.int32(p.partition_index);
            w.int16(p.error_code);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

offset_commit_response offset_commit_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::OffsetCommit, v);
    offset_commit_response resp;
    if (v >= 3) resp.throttle_time_ms = r.int32();
    resp.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partitions = read_array<partition>(r, flex, [&] {
            partition p;
            p.partition_index = r.int32();
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

}  // namespace kb::kafka::protocol
