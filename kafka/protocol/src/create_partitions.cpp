// CreatePartitions request/response (schemas CreatePartitionsRequest/Response.json, v0-3).

#include <kb/kafka/protocol/create_partitions.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void create_partitions_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        w.int32(t.count);
        write_nullable_array(w, t.assignments, flex, [&](const assignment& a) {
            write_int32s(w, a.broker_ids, flex);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    w.int32(timeout_ms);
    w.boolean(validate_only);
    end_struct(w, flex);
}

create_partitions_request create_partitions_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    create_partitions_request req;
    req.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.count = r.int32();
        t.assignments = read_nullable_array<assignment>(r, flex, [&] {
            assignment a{read_int32s(r, flex)};
            end_struct(r, flex);
            return a;
        });
        end_struct(r, flex);
        return t;
    });
    req.timeout_ms = r.int32();
    req.validate_only = r.boolean();
    end_struct(r, flex);
    return req;
}

void create_partitions_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::CreatePartitions, v);
    w.int32(throttle_time_ms);
    write_array(w, results, flex, [&](const result& res) {
        w.string(res.name, flex);
        w.int16(res.error_code);
        w.nullable_string(res.error_message, flex);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

create_partitions_response create_partitions_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::CreatePartitions, v);
    create_partitions_response resp;
    resp.throttle_time_ms = r.int32();
    resp.results = read_array<result>(r, flex, [&] {
        result res;
        res.name = r.string(flex);
        res.error_code = r.int16();
        res.error_message = r.nullable_string(flex);
        end_struct(r, flex);
        return res;
    });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
