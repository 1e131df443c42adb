// DescribeConfigs request/response (schemas DescribeConfigsRequest/Response.json, v1-4).

#include <kb/kafka/protocol/describe_configs.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void describe_configs_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    write_array(w, resources, flex, [&](const resource& res) {
        w.int8(res.resource_type);
        w.string(res.resource_name, flex);
        write_nullable_array(w, res.configuration_keys, flex,
                             [&](const std::string& k) { w.string(k, flex); });
        end_struct(w, flex);
    });
    if (v >= 1) w.boolean(include_synonyms);
    if (v >= 3) w.boolean(include_documentation);
    end_struct(w, flex);
}

describe_configs_request describe_configs_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    describe_configs_request req;
    req.resources = read_array<resource>(r, flex, [&] {
        resource res;
        res.resource_type = r.int8();
        res.resource_name = r.string(flex);
        res.configuration_keys =
            read_nullable_array<std::string>(r, flex, [&] { return r.string(flex); });
        end_struct(r, flex);
        return res;
    });
    if (v >= 1) req.include_synonyms = r.boolean();
    if (v >= 3) req.include_documentation = r.boolean();
    end_struct(r, flex);
    return req;
}

namespace {

using config = describe_configs_response::config;
using synonym = describe_configs_response::synonym;

void write_config(writer& w, const config& c, int16_t v, bool flex) {
    w.string(c.name, flex);
    w.nullable_string(c.value, flex);
    w.boolean(c.read_only);
    if (v == 0) w.boolean(c.is_default);
    if (v >= 1) w.int8(c.config_source);
    w.boolean(c.is_sensitive);
    if (v >= 1) {
        write_array(w, c.synonyms, flex, [&](const synonym& s) {
            w.string(s.name, flex);
            w.nullable_string(s.value, flex);
            w.int8(s.source);
            end_struct(w, flex);
        });
    }
    if (v >= 3) {
        w.int8(c.config_type);
        w.nullable_string(c.documentation, flex);
    }
    end_struct(w, flex);
}

config read_config(reader& r, int16_t v, bool flex) {
    config c;
    c.name = r.string(flex);
    c.value = r.nullable_string(flex);
    c.read_only = r.boolean();
    if (v == 0) c.is_default = r.boolean();
    if (v >= 1) c.config_source = r.int8();
    c.is_sensitive = r.boolean();
    if (v >= 1) {
        c.synonyms = read_array<synonym>(r, flex, [&] {
            synonym s;
            s.name = r.string(flex);
            s.value = r.nullable_string(flex);
            s.source = r.int8();
            end_struct(r, flex);
            return s;
        });
    }
    if (v >= 3) {
        c.config_type = r.int8();
        c.documentation = r.nullable_string(flex);
    }
    end_struct(r, flex);
    return c;
}

}  // namespace

void describe_configs_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::DescribeConfigs, v);
    w.int32(throttle_time_ms);
    write_array(w, results, flex, [&](const result& res) {
        w.int16(res.error_code);
        w.nullable_string(res.error_message, flex);
        w.int8(res.resource_type);
        w.string(res.resource_name, flex);
        write_array(w, res.configs, flex, [&](const config& c) { write_config(w, c, v, flex); });
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

describe_configs_response describe_configs_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::DescribeConfigs, v);
    describe_configs_response resp;
    resp.throttle_time_ms = r.int32();
    resp.results = read_array<result>(r, flex, [&] {
        result res;
        res.error_code = r.int16();
        res.error_message = r.nullable_string(flex);
        res.resource_type = r.int8();
        res.resource_name = r.string(flex);
        res.configs = read_array<config>(r, flex, [&] { return read_config(r, v, flex); });
        end_struct(r, flex);
        return res;
    });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
