// ConsumerGroupDescribe v0-1 (schemas ConsumerGroupDescribeRequest/Response.json).

#include <kb/kafka/protocol/consumer_group_describe.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;
using cgd = consumer_group_describe_response;

// Every version is flexible, so the compact encodings are used throughout.
constexpr bool flex = true;

void consumer_group_describe_request::encode(writer& w, int16_t) const {
    write_strings(w, group_ids, flex);
    w.boolean(include_authorized_operations);
    end_struct(w, flex);
}

consumer_group_describe_request consumer_group_describe_request::decode(reader& r, int16_t) {
    consumer_group_describe_request req;
    req.group_ids = read_strings(r, flex);
    req.include_authorized_operations = r.boolean();
    end_struct(r, flex);
    return req;
}

namespace {

// The schema's Assignment struct: a list of TopicPartitions, then its own tags.
void write_assignment(writer& w, const std::vector<cgd::topic_partitions>& a) {
    write_array(w, a, flex, [&](const cgd::topic_partitions& tp) {
        w.uuid(tp.topic_id);
        w.string(tp.topic_name, flex);
        write_int32s(w, tp.partitions, flex);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

std::vector<cgd::topic_partitions> read_assignment(reader& r) {
    auto a = read_array<cgd::topic_partitions>(r, flex, [&] {
        cgd::topic_partitions tp;
        tp.topic_id = r.uuid();
        tp.topic_name = r.string(flex);
        tp.partitions = read_int32s(r, flex);
        end_struct(r, flex);
        return tp;
    });
    end_struct(r, flex);
    return a;
}

void write_member(writer& w, const cgd::member& m, int16_t v) {
    w.string(m.member_id, flex);
    w.nullable_string(m.instance_id, flex);
    w.nullable_string(m.rack_id, flex);
    w.int32(m.member_epoch);
    w.string(m.client_id, flex);
    w.string(m.client_host, flex);
    write_strings(w, m.subscribed_topic_names, flex);
    w.nullable_string(m.subscribed_topic_regex, flex);
    write_assignment(w, m.assignment);
    write_assignment(w, m.target_assignment);
    if (v >= 1) w.int8(m.member_type);
    end_struct(w, flex);
}

cgd::member read_member(reader& r, int16_t v) {
    cgd::member m;
    m.member_id = r.string(flex);
    m.instance_id = r.nullable_string(flex);
    m.rack_id = r.nullable_string(flex);
    m.member_epoch = r.int32();
    m.client_id = r.string(flex);
    m.client_host = r.string(flex);
    m.subscribed_topic_names = read_strings(r, flex);
    m.subscribed_topic_regex = r.nullable_string(flex);
    m.assignment = read_assignment(r);
    m.target_assignment = read_assignment(r);
    if (v >= 1) m.member_type = r.int8();
    end_struct(r, flex);
    return m;
}

}  // namespace

void consumer_group_describe_response::encode(writer& w, int16_t v) const {
    w.int32(throttle_time_ms);
    write_array(w, groups, flex, [&](const group& g) {
        w.int16(g.error_code);
        w.nullable_string(g.error_message, flex);
        w.string(g.group_id, flex);
        w.string(g.group_state, flex);
        w.int32(g.group_epoch);
        w.int32(g.assignment_epoch);
        w.string(g.assignor_name, flex);
        write_array(w, g.members, flex, [&](const member& m) { write_member(w, m, v); });
        w.int32(g.authorized_operations);
        end_struct(w, flex);
    });
    end_struct(w, flex);
}

consumer_group_describe_response consumer_group_describe_response::decode(reader& r, int16_t v) {
    consumer_group_describe_response resp;
    resp.throttle_time_ms = r.int32();
    resp.groups = read_array<group>(r, flex, [&] {
        group g;
        g.error_code = r.int16();
        g.error_message = r.nullable_string(flex);
        g.group_id = r.string(flex);
        g.group_state = r.string(flex);
        g.group_epoch = r.int32();
        g.assignment_epoch = r.int32();
        g.assignor_name = r.string(flex);
        g.members = read_array<member>(r, flex, [&] { return read_member(r, v); });
        g.authorized_operations = r.int32();
        end_struct(r, flex);
        return g;
    });
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
