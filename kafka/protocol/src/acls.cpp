// DescribeAcls / CreateAcls (schemas DescribeAcls*.json, CreateAcls*.json, v1-3; v1 adds the
// pattern type, which every version we speak therefore carries).

#include <kb/kafka/protocol/acls.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void describe_acls_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    w.int8(resource_type_filter);
    w.nullable_string(resource_name_filter, flex);
    w.int8(pattern_type_filter);
    w.nullable_string(principal_filter, flex);
    w.nullable_string(host_filter, flex);
    w.int8(operation);
    w.int8(permission_type);
    end_struct(w, flex);
}

describe_acls_request describe_acls_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    describe_acls_request req;
    req.resource_type_filter = r.int8();
    req.resource_name_filter = r.nullable_string(flex);
    req.pattern_type_filter = r.int8();
    req.principal_filter = r.nullable_string(flex);
    req.host_filter = r.nullable_string(flex);
    req.operation = r.int8();
    req.permission_type = r.int8();
    end_struct(r, flex);
    return req;
}

void describe_acls_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::DescribeAcls, v);
    w.int32(throttle_time_ms);
    w.int16(error_code);
    w.nullable_string(error_message, flex);
    write_array(w, resources, flex, [&](const resource& res) {
        w.int8(res.resource_type);
        w.string(res.name, flex);
        w.int8(res.pattern_type);
        write_array(w, res.acls, flex, [&](const acl& a) {
            w.string(a.principal, flex);
            w.string(a.host, flex);
            w.int8(a.operation);
            w.int8(a.permission_type);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

describe_acls_response describe_acls_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::DescribeAcls, v);
    describe_acls_response resp;
    resp.throttle_time_ms = r.int32();
    resp.error_code = r.int16();
    resp.error_message = r.nullable_string(flex);
    resp.resources = read_array<resource>(r, flex, [&] {
        resource res;
        res.resource_type = r.int8();
        res.name = r.string(flex);
        res.pattern_type = r.int8();
        res.acls = read_array<acl>(r, flex, [&] {
            acl a;
            a.principal = r.string(flex);
            a.host = r.string(flex);
            a.operation = r.int8();
            a.permission_type = r.int8();
            end_struct(r, flex);
            return a;
        });
        end_struct(r, flex);
        return res;
    });
    end_struct(r, flex);
    return resp;
}

void create_acls_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    write_array(w, creations, flex, [&](const creation& c) {
        w.int8(c.resource_type);
        w.string(c.resource_name, flex);
        w.int8(c.pattern_type);
        w.string(c.principal, flex);
        w.string(c.host, flex);
        w.int8(c.operation);
        w.int8(c.permission_type);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

create_acls_request create_acls_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    create_acls_request req;
    req.creations = read_array<creation>(r, flex, [&] {
        creation c;
        c.resource_type = r.int8();
        c.resource_name = r.string(flex);
        c.pattern_type = r.int8();
        c.principal = r.string(flex);
        c.host = r.string(flex);
        c.operation = r.int8();
        c.permission_type = r.int8();
        end_struct(r, flex);
        return c;
    });
    end_struct(r, flex);
    return req;
}

void create_acls_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::CreateAcls, v);
    w.int32(throttle_time_ms);
    write_array(w, results, flex, [&](const result& res) {
        w.int16(res.error_code);
        w.nullable_string(res.error_message, flex);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

create_acls_response create_acls_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::CreateAcls, v);
    create_acls_response resp;
    resp.throttle_time_ms = r.int32();
    resp.results = read_array<result>(r, flex, [&] {
        result res;
        res.error_code = r.int16();
        res.error_message = r.nullable_string(flex);
        end_struct(r, flex);
        return res;
    });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
