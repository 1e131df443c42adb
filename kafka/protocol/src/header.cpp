// Request header v1/v2 and response header v0/v1.

#include <kb/kafka/protocol/header.hpp>

namespace kb::kafka::protocol {

int16_t request_header_version(api_key key, int16_t version) {
    return is_flexible(key, version) ? 2 : 1;
}

int16_t response_header_version(api_key key, int16_t version) {
    // ApiVersions responses keep header v0 so a client can always parse them.
    if (key == api_key::ApiVersions) return 0;
    return is_flexible(key, version) ? 1 : 0;
}

void write_request_header(writer& w, api_key key, int16_t version, int32_t correlation_id,
                          std::string_view client_id) {
    w.int16(static_cast<int16_t>(key));
    w.int16(version);
    w.int32(correlation_id);
    // client_id stays a classic nullable string even in header v2.
    w.string(client_id);
    if (request_header_version(key, version) >= 2) w.empty_tagged_fields();
}

int32_t read_response_header(reader& r, api_key key, int16_t version) {
    const int32_t correlation_id = r.int32();
    if (response_header_version(key, version) >= 1) r.skip_tagged_fields();
    return correlation_id;
}

request_header read_request_header(reader& r) {
    request_header h;
    h.key = static_cast<api_key>(r.int16());
    h.version = r.int16();
    h.correlation_id = r.int32();
    h.client_id = r.nullable_string();
    if (request_header_version(h.key, h.version) >= 2) r.skip_tagged_fields();
    return h;
}

void write_response_header(writer& w, api_key key, int16_t version, int32_t correlation_id) {
    w.int32(correlation_id);
    if (response_header_version(key, version) >= 1) w.empty_tagged_fields();
}

}  // namespace kb::kafka::protocol
