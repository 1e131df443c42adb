// Per-batch restore decisions (see batch_select.hpp).
#include "batch_select.hpp"

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
    if (r.force_decode || !contiguous(h)) return false;
    if (h.base_offset < r.first_offset || h.last_offset() > r.last_offset) return false;
    if (r.time_start) return false;  // base_timestamp is not a lower bound for every record
    return !r.time_end || h.max_timestamp <= *r.time_end;
}

}  // namespace

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
    out.what = (out.dropped == 0 && contiguous(h) && !rules.force_decode)
                   ? selected_batch::kind::pass
                   : selected_batch::kind::reencode;
    if (out.what == selected_batch::kind::pass) out.records.clear();
    return out;
}

runtime::shared_buffer encode_records(const std::vector<proto::owned_record>& records,
                                      proto::codec codec) {
    std::vector<proto::record_input> inputs;
    inputs.reserve(records.size());
    for (const auto& r : records) {
        auto in = proto::as_input(r, 0);
        in.offset_delta.reset();  // the target assigns contiguous offsets
        inputs.push_back(std::move(in));
    }
    proto::batch_spec spec;
    spec.compression = codec;
    return runtime::shared_buffer::adopt(proto::encode_batch(spec, inputs));
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
