// Per-batch restore decisions (see batch_select.hpp).
#include "batch_select.hpp"

#include <kb/runtime/error.hpp>

#include <type_traits>

#include <fmt/format.h>

namespace kb::restore::detail {

namespace {

bool contiguous(const proto::batch_header& h) {
    return h.record_count == h.last_offset_delta + 1;
}

bool in_time(std::int64_t ts, const selection_rules& r) {
    return (!r.time_start || ts >= *r.time_start) && (!r.time_end || ts <= *r.time_end);
}

bool in_range(std::int64_t offset, const selection_rules& r) {
    return offset >= r.first_offset && offset <= r.last_offset;
}

// Whole batch certainly chosen without looking at its records?
bool whole_batch_chosen(const proto::batch_header& h, const selection_rules& r) {
    if (r.force_decode || r.headers.active() || !contiguous(h)) return false;
    if (h.base_offset < r.first_offset || h.last_offset() > r.last_offset) return false;
    if (r.time_start) return false;  // base_timestamp is not a lower bound for every record
    return !r.time_end || h.max_timestamp <= *r.time_end;
}

bool is_tool_header(const std::string& key) {
    return key == "x-original-offset" || key == "x-original-timestamp" ||
           key == "x-source-cluster" || key == "x-source-partition";
}

template <class T>
std::vector<std::byte> little_endian(T v) {
    std::vector<std::byte> out(sizeof(T));
    auto u = static_cast<std::make_unsigned_t<T>>(v);
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out[i] = static_cast<std::byte>((u >> (8 * i)) & 0xff);
    return out;
}

}  // namespace

bool apply_header_rules(proto::owned_record& r, const header_rules& rules) {
    const auto before = r.headers.size();
    if (rules.strip_tool_headers)
        std::erase_if(r.headers,
                      [](const proto::owned_header& h) { return is_tool_header(h.key); });
    if (!rules.add_original) return r.headers.size() != before;
    r.headers.push_back({"x-original-offset", little_endian(r.offset)});
    r.headers.push_back({"x-original-timestamp", little_endian(r.timestamp)});
    r.headers.push_back({"x-source-partition", little_endian(rules.source_partition)});
    return true;
}

selected_batch select_batch(const proto::batch_view& b, const selection_rules& rules) {
    const auto& h = b.header;
    selected_batch out;
    if (h.control() || h.last_offset() < rules.first_offset || h.base_offset > rules.last_offset)
        return out;  // skip
    if (whole_batch_chosen(h, rules)) {
        out.what = selected_batch::kind::pass;
        return out;
    }
    auto all = proto::read_records(b);
    const auto total = all.size();
    for (auto& r : all)
        if (in_range(r.offset, rules) && in_time(r.timestamp, rules))
            out.records.push_back(std::move(r));
    out.dropped = total - out.records.size();
    if (out.records.empty()) return out;
    bool edited = false;
    if (rules.headers.active())
        for (auto& r : out.records) edited = apply_header_rules(r, rules.headers) || edited;
    // A batch whose records all stay as they were still passes through whole.
    out.what = (out.dropped == 0 && !edited && contiguous(h) && !rules.force_decode)
                   ? selected_batch::kind::pass
                   : selected_batch::kind::reencode;
    if (out.what == selected_batch::kind::pass) out.records.clear();
    return out;
}

namespace {

using record_span = std::span<const proto::owned_record>;

std::vector<std::byte> encode_span(record_span records, proto::codec codec) {
    std::vector<proto::record_input> inputs;
    inputs.reserve(records.size());
    for (const auto& r : records) {
        auto in = proto::as_input(r, 0);
        in.offset_delta.reset();  // the target assigns contiguous offsets
        inputs.push_back(std::move(in));
    }
    proto::batch_spec spec;
    spec.compression = codec;
    return proto::encode_batch(spec, inputs);
}

// Uncompressed bytes a record adds to a batch, roughly (varint overheads rounded up).
std::size_t record_estimate(const proto::owned_record& r) {
    std::size_t n = 24 + (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
    for (const auto& h : r.headers) n += 10 + h.key.size() + (h.value ? h.value->size() : 0);
    return n;
}

// Encodes `records` into `out`, halving a run whose batch is still too large (a
// compressed batch's size is only known once encoded).
void encode_halving(record_span records, proto::codec codec, std::size_t limit,
                    const std::string& where, std::vector<encoded_batch>& out) {
    auto bytes = encode_span(records, codec);
    if (bytes.size() <= limit) {
        out.push_back({runtime::shared_buffer::adopt(std::move(bytes)), records.size()});
        return;
    }
    if (records.size() == 1)
        throw kb::error(error_class::fatal, "RecordTooLarge",
                        fmt::format("{}: the record at source offset {} is {} bytes as a batch, "
                                    "more than the target's max.message.bytes ({}); raise "
                                    "max.message.bytes on the target topic",
                                    where, records.front().offset, bytes.size(), limit));
    const auto half = records.size() / 2;
    encode_halving(records.first(half), codec, limit, where, out);
    encode_halving(records.subspan(half), codec, limit, where, out);
}

constexpr std::size_t batch_overhead = 61;  // a v2 batch header

}  // namespace

runtime::shared_buffer encode_records(const std::vector<proto::owned_record>& records,
                                      proto::codec codec) {
    return runtime::shared_buffer::adopt(encode_span(records, codec));
}

proto::codec codec_for_target(proto::codec codec, bool zstd_to_none) {
    return zstd_to_none && codec == proto::codec::zstd ? proto::codec::none : codec;
}

std::vector<encoded_batch> encode_records_within(const std::vector<proto::owned_record>& records,
                                                 proto::codec codec, std::size_t max_batch_bytes,
                                                 const std::string& where) {
    std::vector<encoded_batch> out;
    if (records.empty()) return out;
    const auto limit = max_batch_bytes ? max_batch_bytes : SIZE_MAX;
    // Greedy runs by estimated size, so a big batch is not re-encoded log(n) times.
    record_span all(records);
    std::size_t start = 0, estimate = batch_overhead;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto r = record_estimate(all[i]);
        if (i > start && estimate + r > limit) {
            encode_halving(all.subspan(start, i - start), codec, limit, where, out);
            start = i, estimate = batch_overhead;
        }
        estimate += r;
    }
    encode_halving(all.subspan(start), codec, limit, where, out);
    return out;
}

std::optional<bool> control_commits(const proto::batch_view& b) {
    std::optional<bool> out;
    proto::for_each_record(b, [&](const proto::record& r) {
        if (!r.key || r.key->size() < 4) return;
        auto type = (std::to_integer<int>((*r.key)[2]) << 8) | std::to_integer<int>((*r.key)[3]);
        if (type == 0) out = false;
        if (type == 1) out = true;
    });
    return out;
}

}  // namespace kb::restore::detail
