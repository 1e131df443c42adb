// The restored cluster's log start and end offsets of the backup's partitions.
#include <kb/kafka/client/offsets.hpp>
#include <kb/runtime/error.hpp>
#include <kb/validation/checks.hpp>

namespace kb::validation {
namespace kc = kb::kafka::client;
using boost::asio::awaitable;

namespace {

// One topic at a time, so a topic missing on the target fails only its partitions.
awaitable<void> read_topic(kc::cluster& c, const storage::format::topic_manifest& t,
                           target_offsets& out) {
    std::vector<std::int32_t> partitions;
    for (const auto& p : t.partitions) partitions.push_back(p.partition);
    if (partitions.empty()) co_return;
    try {
        auto low = co_await kc::topic_offsets(c, t.name, kc::offset_spec::earliest(), partitions);
        auto high = co_await kc::topic_offsets(c, t.name, kc::offset_spec::latest(), partitions);
        for (const auto& o : low) out[{o.topic, o.partition}].earliest = o.offset;
        for (const auto& o : high) out[{o.topic, o.partition}].latest = o.offset;
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        for (auto p : partitions) out[{t.name, p}].error = e.what();
    }
}

}  // namespace

awaitable<target_offsets> read_target_offsets(kc::cluster& c, const storage::format::manifest& m) {
    target_offsets out;
    for (const auto& t : m.topics) co_await read_topic(c, t, out);
    co_return out;
}

}  // namespace kb::validation
