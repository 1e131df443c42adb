// DeleteTopics request/response (schemas DeleteTopicsRequest/Response.json, v1-6).

#include <kb/kafka/protocol/delete_topics.hpp>
#include <kb/runtime/error.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void delete_topics_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    if (v >= 6) {
        write_array(w, topics, flex, [&](const topic& t) {
            w.nullable_string(t.name, flex);
            w.uuid(t.topic_id);
            end_struct(w, flex);
        });
    } else {
        write_array(w, topics, flex, [&](const topic& t) {
            if (!t.name)
                throw kb::error(error_class::fatal, "UNSUPPORTED_VERSION",
                                "DeleteTopics before v6 cannot delete a topic by id");
            w.string(*t.name, flex);
        });
    }
    w.int32(timeout_ms);
    end_struct(w, flex);
}

delete_topics_request delete_topics_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    delete_topics_request req;
    if (v >= 6) {
        req.topics = read_array<topic>(r, flex, [&] {
            topic t;
            t.name = r.nullable_string(flex);
            t.topic_id = r.uuid();
            end_struct(r, flex);
            return t;
        });
    } else {
        req.topics = read_array<topic>(r, flex, [&] { return topic{r.string(flex), {}}; });
    }
    req.timeout_ms = r.int32();
    end_struct(r, flex);
    return req;
}

void delete_topics_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::DeleteTopics, v);
    if (v >= 1) w.int32(throttle_time_ms);
    write_array(w, responses, flex, [&](const result& res) {
        if (v >= 6) {
            w.nullable_string(res.name, flex);
            w.uuid(res.topic_id);
        } else {
            w.string(res.name.value_or(""), flex);
        }
        w.int16(res.error_code);
        if (v >= 5) w.nullable_string(res.error_message, flex);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

delete_topics_response delete_topics_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::DeleteTopics, v);
    delete_topics_response resp;
    if (v >= 1) resp.throttle_time_ms = r.int32();
    resp.responses = read_array<result>(r, flex, [&] {
        result res;
        if (v >= 6) {
            res.name = r.nullable_string(flex);
            res.topic_id = r.uuid();
        } else {
            res.name = r.string(flex);
        }
        res.error_code = r.int16();
        if (v >= 5) res.error_message = r.nullable_string(flex);
        end_struct(r, flex);
        return res;
    });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
