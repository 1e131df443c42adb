// CreateTopics request/response (schemas CreateTopicsRequest/Response.json, v2-7).

#include <kb/kafka/protocol/create_topics.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

namespace {
constexpr uint32_t tag_topic_config_error_code = 0;  // response topic, v5+
}

void create_topics_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    write_array(w, topics, flex, [&](const topic& t) {
        w.string(t.name, flex);
        w.int32(t.num_partitions);
        w.int16(t.replication_factor);
        write_array(w, t.assignments, flex, [&](const assignment& a) {
            w.int32(a.partition_index);
            write_int32s(w, a.broker_ids, flex);
            end_struct(w, flex);
        });
        write_array(w, t.configs, flex, [&](const config& c) {
            w.string(c.name, flex);
            w.nullable_string(c.value, flex);
            end_struct(w, flex);
        });
        end_struct(w, flex);
    });
    w.int32(timeout_ms);
    if (v >= 1) w.boolean(validate_only);
    end_struct(w, flex);
}

create_topics_request create_topics_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    create_topics_request req;
    req.topics = read_array<topic>(r, flex, [&] {
        topic t;
        t.name = r.string(flex);
        t.num_partitions = r.int32();
        t.replication_factor = r.int16();
        t.assignments = read_array<assignment>(r, flex, [&] {
            assignment a;
            a.partition_index = r.int32();
            a.broker_ids = read_int32s(r, flex);
            end_struct(r, flex);
            return a;
        });
        t.configs = read_array<config>(r, flex, [&] {
            config c;
            c.name = r.string(flex);
            c.value = r.nullable_string(flex);
            end_struct(r, flex);
            return c;
        });
        end_struct(r, flex);
        return t;
    });
    req.timeout_ms = r.int32();
    if (v >= 1) req.validate_only = r.boolean();
    end_struct(r, flex);
    return req;
}

namespace {

void write_result(writer& w, const create_topics_response::topic& t, int16_t v, bool flex) {
    w.string(t.name, flex);
    if (v >= 7) w.uuid(t.topic_id);
    w.int16(t.error_code);
    if (v >= 1) w.nullable_string(t.error_message, flex);
    if (v >= 5) {
        w.int32(t.num_partitions);
        w.int16(t.replication_factor);
        write_nullable_array(w, t.configs, flex, [&](const create_topics_response::config& c) {
            w.string(c.name, flex);
            w.nullable_string(c.value, flex);
            w.boolean(c.read_only);
            w.int8(c.config_source);
            w.boolean(c.is_sensitive);
            end_struct(w, flex);
        });
    }
    if (!flex) return;
    tagged_fields tags;
    if (t.topic_config_error_code != 0)
        tags.push_back(make_tag(tag_topic_config_error_code,
                                [&](writer& tw) { tw.int16(t.topic_config_error_code); }));
    w.tagged_fields(tags);
}

create_topics_response::topic read_result(reader& r, int16_t v, bool flex) {
    create_topics_response::topic t;
    t.name = r.string(flex);
    if (v >= 7) t.topic_id = r.uuid();
    t.error_code = r.int16();
    if (v >= 1) t.error_message = r.nullable_string(flex);
    if (v >= 5) {
        t.num_partitions = r.int32();
        t.replication_factor = r.int16();
        t.configs = read_nullable_array<create_topics_response::config>(r, flex, [&] {
            create_topics_response::config c;
            c.name = r.string(flex);
            c.value = r.nullable_string(flex);
            c.read_only = r.boolean();
            c.config_source = r.int8();
            c.is_sensitive = r.boolean();
            end_struct(r, flex);
            return c;
        });
    }
    if (flex) {
        read_tags(r, [&](uint32_t tag, reader& tr) {
            if (tag == tag_topic_config_error_code) t.topic_config_error_code = tr.int16();
        });
    }
    return t;
}

}  // namespace

void create_topics_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::CreateTopics, v);
    if (v >= 2) w.int32(throttle_time_ms);
    write_array(w, topics, flex, [&](const topic& t) { write_result(w, t, v, flex); });
    end_struct(w, flex);
}

create_topics_response create_topics_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::CreateTopics, v);
    create_topics_response resp;
    if (v >= 2) resp.throttle_time_ms = r.int32();
    resp.topics = read_array<topic>(r, flex, [&] { return read_result(r, v, flex); });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
