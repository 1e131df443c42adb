// ListGroups (v0-5) and DescribeGroups (v0-5) requests/responses.

#include <kb/kafka/protocol/describe_groups.hpp>
#include <kb/kafka/protocol/list_groups.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void list_groups_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    if (v >= 4) write_strings(w, states_filter, flex);
    if (v >= 5) write_strings(w, types_filter, flex);
    end_struct(w, flex);
}

list_groups_request list_groups_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    list_groups_request req;
    if (v >= 4) req.states_filter = read_strings(r, flex);
    if (v >= 5) req.types_filter = read_strings(r, flex);
    end_struct(r, flex);
    return req;
}

void list_groups_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::ListGroups, v);
    if (v >= 1) w.int32(throttle_time_ms);
    w.int16(error_code);
    write_array(w, groups, flex, [&](const group& g) {
        w.string(g.group_id, flex);
        w.string(g.protocol_type, flex);
        if (v >= 4) w.string(g.group_state, flex);
        if (v >= 5) w.string(g.group_type, flex);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

list_groups_response list_groups_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::ListGroups, v);
    list_groups_response resp;
    if (v >= 1) resp.throttle_time_ms = r.int32();
    resp.error_code = r.int16();
    resp.groups = read_array<group>(r, flex, [&] {
        group g;
        g.group_id = r.string(flex);
        g.protocol_type = r.string(flex);
        if (v >= 4) g.group_state = r.string(flex);
        if (v >= 5) g.group_type = r.string(flex);
        end_struct(r, flex);
        return g;
    });
    end_struct(r, flex);
    return resp;
}

void describe_groups_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    write_strings(w, groups, flex);
    if (v >= 3) w.boolean(include_authorized_operations);
    end_struct(w, flex);
}

describe_groups_request describe_groups_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    describe_groups_request req;
    req.groups = read_strings(r, flex);
    if (v >= 3) req.include_authorized_operations = r.boolean();
    end_struct(r, flex);
    return req;
}

namespace {

void write_member(writer& w, const describe_groups_response::member& m, int16_t v, bool flex) {
    w.string(m.member_id, flex);
    if (v >= 4) w.nullable_string(m.group_instance_id, flex);
    w.string(m.client_id, flex);
    w.string(m.client_host, flex);
    w.bytes(m.member_metadata, flex);
    w.bytes(m.member_assignment, flex);
    end_struct(w, flex);
}

describe_groups_response::member read_member(reader& r, int16_t v, bool flex) {
    describe_groups_response::member m;
    m.member_id = r.string(flex);
    if (v >= 4) m.group_instance_id = r.nullable_string(flex);
    m.client_id = r.string(flex);
    m.client_host = r.string(flex);
    m.member_metadata = r.bytes(flex);
    m.member_assignment = r.bytes(flex);
    end_struct(r, flex);
    return m;
}

}  // namespace

void describe_groups_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::DescribeGroups, v);
    if (v >= 1) w.int32(throttle_time_ms);
    write_array(w, groups, flex, [&](const group& g) {
        w.int16(g.error_code);
        w.string(g.group_id, flex);
        w.string(g.group_state, flex);
        w.string(g.protocol_type, flex);
        w.string(g.protocol_data, flex);
        write_array(w, g.members, flex, [&](const member& m) { write_member(w, m, v, flex); });
        if (v >= 3) w.int32(g.authorized_operations);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

describe_groups_response describe_groups_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::DescribeGroups, v);
    describe_groups_response resp;
    if (v >= 1) resp.throttle_time_ms = r.int32();
    resp.groups = read_array<group>(r, flex, [&] {
        group g;
        g.error_code = r.int16();
        g.group_id = r.string(flex);
        g.group_state = r.string(flex);
        g.protocol_type = r.string(flex);
        g.protocol_data = r.string(flex);
        g.members = read_array<member>(r, flex, [&] { return read_member(r, v, flex); });
        if (v >= 3) g.authorized_operations = r.int32();
        end_struct(r, flex);
        return g;
    });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
