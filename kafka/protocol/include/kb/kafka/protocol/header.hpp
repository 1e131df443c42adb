#pragma once
// Request and response headers, and a helper that frames a whole request.
// Request header v1 (classic) or v2 (flexible) follows the body's flexibility;
// response header v0 or v1 likewise, except ApiVersions responses, always v0
// (a client that does not yet know the broker's versions must be able to read it).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kb::kafka::protocol {

int16_t request_header_version(api_key key, int16_t version);   // 1 or 2
int16_t response_header_version(api_key key, int16_t version);  // 0 or 1

void write_request_header(writer& w, api_key key, int16_t version, int32_t correlation_id,
                          std::string_view client_id);
// Reads the response header and returns its correlation id (tagged fields skipped).
int32_t read_response_header(reader& r, api_key key, int16_t version);

// The other direction, so tests (and a future fake broker) can round-trip frames.
struct request_header {
    api_key key{};
    int16_t version = 0;
    int32_t correlation_id = 0;
    std::optional<std::string> client_id{};
};
request_header read_request_header(reader& r);
void write_response_header(writer& w, api_key key, int16_t version, int32_t correlation_id);

// A complete request frame: int32 size, header, body.
template <class Request>
byte_vector encode_request_frame(const Request& req, int16_t version, int32_t correlation_id,
                                 std::string_view client_id) {
    writer w{};
    const std::size_t size_pos = w.reserve_int32();
    write_request_header(w, Request::key, version, correlation_id, client_id);
    req.encode(w, version);
    w.patch_int32(size_pos, static_cast<int32_t>(w.size() - size_pos - 4));
    return w.take();
}

}  // namespace kb::kafka::protocol
