// ApiVersions request/response (schemas ApiVersionsRequest/Response.json, v0-4).

#include <kb/kafka/protocol/api_versions.hpp>
#include <kb/kafka/protocol/errors.hpp>

#include "codec_util.hpp"

namespace kb::kafka::protocol {
using namespace detail;

namespace {
constexpr uint32_t tag_finalized_features_epoch = 1;
}

void api_versions_request::encode(writer& w, int16_t v) const {
    if (v < 3) return;
    w.compact_string(client_software_name);
    w.compact_string(client_software_version);
    w.empty_tagged_fields();
}

api_versions_request api_versions_request::decode(reader& r, int16_t v) {
    api_versions_request req;
    if (v < 3) return req;
    req.client_software_name = r.compact_string();
    req.client_software_version = r.compact_string();
    r.skip_tagged_fields();
    return req;
}

std::optional<version_range> api_versions_response::find(api_key key) const {
    for (const auto& a : api_keys)
        if (a.api_key == static_cast<int16_t>(key))
            return version_range{a.min_version, a.max_version};
    return std::nullopt;
}

void api_versions_response::encode(writer& w, int16_t v) const {
    const bool flex = is_flexible(api_key::ApiVersions, v);
    w.int16(error_code);
    write_array(w, api_keys, flex, [&](const api_version& a) {
        w.int16(a.api_key);
        w.int16(a.min_version);
        w.int16(a.max_version);
        end_struct(w, flex);
    });
    if (v >= 1) w.int32(throttle_time_ms);
    if (!flex) return;
    tagged_fields tags;
    if (finalized_features_epoch != -1)
        tags.push_back(make_tag(tag_finalized_features_epoch,
                                [&](writer& t) { t.int64(finalized_features_epoch); }));
    w.tagged_fields(tags);
}

api_versions_response api_versions_response::decode(reader& r, int16_t v) {
    api_versions_response resp;
    resp.error_code = r.int16();
    // An unsupported request version is answered in the v0 layout.
    if (resp.error_code == err::unsupported_version) v = 0;
    const bool flex = is_flexible(api_key::ApiVersions, v);
    resp.api_keys = read_array<api_version>(r, flex, [&] {
        api_version a;
        a.api_key = r.int16();
        a.min_version = r.int16();
        a.max_version = r.int16();
        end_struct(r, flex);
        return a;
    });
    if (v >= 1) resp.throttle_time_ms = r.int32();
    if (flex) {
        read_tags(r, [&](uint32_t tag, reader& t) {
            if (tag == tag_finalized_features_epoch) resp.finalized_features_epoch = t.int64();
        });
    }
    return resp;
}

}  // namespace kb::kafka::protocol
