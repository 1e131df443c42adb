// OffsetFetch request/response (schemas OffsetFetchRequest/Response.json, v1-9).
// v8+ put a group level around the topics; older versions are mapped to one group.

#include <kb/kafka/protocol/offset_fetch.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

namespace {

using req_topic = offset_fetch_request::topic;
using resp_partition = offset_fetch_response::partition;
using resp_topic = offset_fetch_response::topic;

void write_req_topics(writer& w, const std::optional<std::vector<req_topic>>& topics, int16_t v,
                      bool flex) {
    auto one = [&](const req_topic& t) {
        w.string(t.name, flex);
        write_int32s(w, t.partition_indexes, flex);
        end_struct(w, flex);
    };
    if (v < 2 && !topics) return write_array(w, std::vector<req_topic>{}, flex, one);
    write_nullable_array(w, topics, flex, one);
}

std::optional<std::vector<req_topic>> read_req_topics(reader& r, bool flex) {
    return read_nullable_array<req_topic>(r, flex, [&] {
        req_topic t;
        t.name = r.string(flex);
        t.partition_indexes = read_int32s(r, flex);
        end_struct(r, flex);
        return t;
    });
}

void write_resp_topics(writer& w, const std::vector<resp_topic>& topics, int16_t v, bool flex) {
    write_array(w, topics, flex, [&](const resp_topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partitions, flex, [&](const resp_partition& p) {
            w.int32(p.partition_index);
            w.int64(p.committed_offset);
            if (v >= 5) w.int32(p.committed_leader_epoch);
            w.nullable_string(p.metadata, flex);
            w.int16(p.error_code);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
}

std::vector<resp_topic> read_resp_topics(reader& r, int16_t v, bool flex) {
    return read_array<resp_topic>(r, flex, [&] {
        resp_topic t;
        t.name = r.string(flex);
        t.partitions = read_array<resp_partition>(r, flex, [&] {
            resp_partition p;
            p.partition_index = r.int32();
            p.committed_offset = r.int64();
            if (v >= 5) p.committed_leader_epoch = r.int32();
            p.metadata = r.nullable_string(flex);
            p.error_code = r.int16();
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
}

}  // namespace

void offset_fetch_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    if (v <= 7) {
        w.string(group_id, flex);
        write_req_topics(w, topics, v, flex);
    } else {
        w.array_length(1, flex);
        w.string(group_id, flex);
        if (v >= 9) {
            w.nullable_string(member_id, flex);
            w.int32(member_epoch);
        }
        write_req_topics(w, topics, v, flex);
        end_struct(w, flex);
    }
    if (v >= 7) w.boolean(require_stable);
    end_struct(w, flex);
}

offset_fetch_request offset_fetch_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    offset_fetch_request req;
    if (v <= 7) {
        req.group_id = r.string(flex);
        req.topics = read_req_topics(r, flex);
    } else {
        if (r.count(flex) != 1) r.fail("OffsetFetch groups (expected exactly one)");
        req.group_id = r.string(flex);
        if (v >= 9) {
            req.member_id = r.nullable_string(flex);
            req.member_epoch = r.int32();
        }
        req.topics = read_req_topics(r, flex);
        end_struct(r, flex);
    }
    if (v >= 7) req.require_stable = r.boolean();
    end_struct(r, flex);
    return req;
}

void offset_fetch_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::OffsetFetch, v);
    if (v >= 3) w.int32(throttle_time_ms);
    if (v <= 7) {
        const group g = groups.empty() ? group{} : groups.front();
        write_resp_topics(w, g.topics, v, flex);
        if (v >= 2) w.int16(g.error_code);
    } else {
        write_array(w, groups, flex, [&](const group& g) {
            w.string(g.group_id, flex);
            write_resp_topics(w, g.topics, v, flex);
            w.int16(g.error_code);
            end_struct(w, flex);
        });
    }
    end_struct(w, flex);
}

offset_fetch_response offset_fetch_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::OffsetFetch, v);
    offset_fetch_response resp;
    if (v >= 3) resp.throttle_time_ms = r.int32();
    if (v <= 7) {
        group g;
        g.topics = read_resp_topics(r, v, flex);
        if (v >= 2) g.error_code = r.int16();
        resp.groups.push_back(std::move(g));
    } else {
        resp.groups = read_array<group>(r, flex, [&] {
            group g;
            g.group_id = r.string(flex);
            g.topics = read_resp_topics(r, v, flex);
            g.error_code = r.int16();
            end_struct(r, flex);
            return g;
        });
    }
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
