#pragma once
// Helpers shared by the per-API codecs: versioned arrays, struct endings and tagged
// fields. `flex` is is_flexible(key, version) for the message being coded.

#include <kb/kafka/protocol/common.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol::detail {

// Elements are reserved up to this many at once: an array count is only checked
// against the remaining bytes, and a big struct per byte would still amplify.
inline constexpr int32_t max_reserve = 1024;

template <class T, class F>
void write_array(writer& w, const std::vector<T>& items, bool flex, F&& write_one) {
    w.array_length(static_cast<int32_t>(items.size()), flex);
    for (const auto& item : items) write_one(item);
}

template <class T, class F>
void write_nullable_array(writer& w, const std::optional<std::vector<T>>& items, bool flex,
                          F&& write_one) {
    if (!items) return w.array_length(-1, flex);
    write_array(w, *items, flex, write_one);
}

template <class T, class F>
std::vector<T> read_n(int32_t n, F&& read_one) {
    std::vector<T> out;
    out.reserve(std::size_t(std::min(n, max_reserve)));
    for (int32_t i = 0; i < n; ++i) out.push_back(read_one());
    return out;
}

template <class T, class F>
std::vector<T> read_array(reader& r, bool flex, F&& read_one) {
    return read_n<T>(r.count(flex), read_one);
}

template <class T, class F>
std::optional<std::vector<T>> read_nullable_array(reader& r, bool flex, F&& read_one) {
    const int32_t n = r.array_length(flex);
    if (n < 0) return std::nullopt;
    return read_n<T>(n, read_one);
}

inline void write_int32s(writer& w, const std::vector<int32_t>& v, bool flex) {
    write_array(w, v, flex, [&](int32_t x) { w.int32(x); });
}
inline std::vector<int32_t> read_int32s(reader& r, bool flex) {
    return read_array<int32_t>(r, flex, [&] { return r.int32(); });
}
inline void write_strings(writer& w, const std::vector<std::string>& v, bool flex) {
    write_array(w, v, flex, [&](const std::string& s) { w.string(s, flex); });
}
inline std::vector<std::string> read_strings(reader& r, bool flex) {
    return read_array<std::string>(r, flex, [&] { return r.string(flex); });
}

// End of a struct: flexible versions carry a tagged-field section (we send none and
// skip what we do not know).
inline void end_struct(writer& w, bool flex) {
    if (flex) w.empty_tagged_fields();
}
inline void end_struct(reader& r, bool flex) {
    if (flex) r.skip_tagged_fields();
}

// A tagged field whose value is built by `write_value` into its own buffer.
template <class F>
tagged_field make_tag(uint32_t tag, F&& write_value) {
    tagged_field f;
    f.tag = tag;
    writer w(f.data);
    write_value(w);
    return f;
}

// Reads a tagged-field section, handing each field to `on_field(tag, reader&)`;
// fields it does not consume entirely are simply dropped (unknown tags).
template <class F>
void read_tags(reader& r, F&& on_field) {
    for (const auto& f : r.tagged_fields()) {
        reader fr(f.data);
        on_field(f.tag, fr);
    }
}

inline void write_node_endpoints(writer& w, const std::vector<node_endpoint>& nodes) {
    write_array(w, nodes, true, [&](const node_endpoint& n) {
        w.int32(n.node_id);
        w.compact_string(n.host);
        w.int32(n.port);
        w.compact_nullable_string(n.rack);
        w.empty_tagged_fields();
    });
}

inline std::vector<node_endpoint> read_node_endpoints(reader& r) {
    return read_array<node_endpoint>(r, true, [&] {
        node_endpoint n;
        n.node_id = r.int32();
        n.host = r.compact_string();
        n.port = r.int32();
        n.rack = r.compact_nullable_string();
        r.skip_tagged_fields();
        return n;
    });
}

inline void write_leader(writer& w, const leader_id_and_epoch& l) {
    w.int32(l.leader_id);
    w.int32(l.leader_epoch);
    w.empty_tagged_fields();
}

inline leader_id_and_epoch read_leader(reader& r) {
    leader_id_and_epoch l;
    l.leader_id = r.int32();
    l.leader_epoch = r.int32();
    r.skip_tagged_fields();
    return l;
}

}  // namespace kb::kafka::protocol::detail
