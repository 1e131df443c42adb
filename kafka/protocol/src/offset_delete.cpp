// OffsetDelete v0 (OffsetDeleteRequest.json / OffsetDeleteResponse.json): never
// flexible, but `flex` is still derived from the table so a future flexible version
// only needs the table entry and its new fields.
#include <kb/kafka/protocol/offset_delete.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void offset_delete_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    w.string(group_id, flex);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        write_array(w, t.partition_indexes, flex, [&](int32_t p) {
            w.int32(p);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

offset_delete_request offset_delete_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    offset_delete_request req;
    req.group_id = r.string(flex);
    req.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.partition_indexes = read_array<int32_t>(r, flex, [&] {
            const int32_t p = r.int32();
            end_struct(r, flex);
            return p;
        });
        end_struct(r, flex);
        return t;
    });
    end_struct(r, flex);
    return req;
}

void offset_delete_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::OffsetDelete, v);
    w.int16(error_code);
    w.int32(throttle_time_ms);
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

offset_delete_response offset_delete_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::OffsetDelete, v);
    offset_delete_response resp;
    resp.error_code = r.int16();
    resp.throttle_time_ms = r.int32();
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
