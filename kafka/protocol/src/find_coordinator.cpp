// FindCoordinator request/response (schemas FindCoordinatorRequest/Response.json, v0-6).

#include <kb/kafka/protocol/find_coordinator.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

void find_coordinator_request::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(key, v);
    if (v <= 3) w.string(coordinator_key, flex);
    if (v >= 1) w.int8(key_type);
    if (v >= 4) write_strings(w, {coordinator_key}, flex);
    end_struct(w, flex);
}

find_coordinator_request find_coordinator_request::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(key, v);
    find_coordinator_request req;
    if (v <= 3) req.coordinator_key = r.string(flex);
    if (v >= 1) req.key_type = r.int8();
    if (v >= 4) {
        const auto keys = read_strings(r, flex);
        if (keys.size() != 1) r.fail("FindCoordinator keys (expected exactly one)");
        req.coordinator_key = keys.front();
    }
    end_struct(r, flex);
    return req;
}

void find_coordinator_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::FindCoordinator, v);
    if (v >= 1) w.int32(throttle_time_ms);
    if (v <= 3) {
        const coordinator c = coordinators.empty() ? coordinator{} : coordinators.front();
        w.int16(c.error_code);
        if (v >= 1) w.nullable_string(c.error_message, flex);
        w.int32(c.node_id);
        w.string(c.host, flex);
        w.int32(c.port);
    } else {
        write_array(w, coordinators, flex, [&](const coordinator& c) {
            w.string(c.key, flex);
            w.int32(c.node_id);
            w.string(c.host, flex);
            w.int32(c.port);
            w.int16(c.error_code);
            w.nullable_string(c.error_message, flex);
            end_struct(w, flex);
        });
    }
    end_struct(w, flex);
}

find_coordinator_response find_coordinator_response::decode(reader& r, int16_t v) {
    const bool flex = is_flexible(api_key::FindCoordinator, v);
    find_coordinator_response resp;
    if (v >= 1) resp.throttle_time_ms = r.int32();
    if (v <= 3) {
        coordinator c;
        c.error_code = r.int16();
        if (v >= 1) c.error_message = r.nullable_string(flex);
        c.node_id = r.int32();
        c.host = r.string(flex);
        c.port = r.int32();
        resp.coordinators.push_back(std::move(c));
    } else {
        resp.coordinators = read_array<coordinator>(r, flex, [&] {
            coordinator c;
            c.key = r.string(flex);
            c.node_id = r.int32();
            c.host = r.string(flex);
            c.port = r.int32();
            c.error_code = r.int16();
            c.error_message = r.nullable_string(flex);
            end_struct(r, flex);
            return c;
        });
    }
    end_struct(r, flex);
    return resp;
}

}  // namespace kb::kafka::protocol
