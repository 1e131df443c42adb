#include <kb/runtime/error.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>

namespace kb::storage::format {

namespace {

std::string random_id() {
    std::random_device rd;
    return fmt::format("{:08x}{:08x}", rd(), rd());
}

[[noreturn]] void conflict(const std::string& what) {
    throw kb::error(error_class::fatal, "ManifestConflict", what);
}

}  // namespace

manifest_store::manifest_store(backend& b, backup_layout layout, std::string writer_id)
    : b_(&b),
      layout_(std::move(layout)),
      writer_id_(writer_id.empty() ? random_id() : std::move(writer_id)) {}

std::string manifest_store::name_of(const std::string& key) const {
    return b_->describe() + "/" + key;
}

awaitable<std::vector<std::uint64_t>> manifest_store::list_versions() {
    std::vector<std::uint64_t> seqs;
    for (auto& o : co_await list_all(*b_, layout_.manifests_prefix()))
        if (auto s = parse_manifest_sequence(o.key)) seqs.push_back(*s);
    std::sort(seqs.begin(), seqs.end());
    co_return seqs;
}

awaitable<loaded_manifest> manifest_store::read_version(std::uint64_t sequence) {
    auto key = layout_.manifest(sequence);
    auto body = co_await b_->get(key);
    loaded_manifest out{sequence, key, {}};
    try {
        out.value = parse_manifest(body.as_string_view());
    } catch (const kb::error& e) {
        throw kb::error(e.cls(), e.code(), name_of(key) + ": " + e.what());
    }
    if (out.value.sequence != sequence || out.value.backup_id != layout_.backup_id())
        throw kb::error(error_class::fatal, "InvalidManifest",
                        fmt::format("{}: holds sequence {} of backup '{}', not what its name says",
                                    name_of(key), out.value.sequence, out.value.backup_id));
    co_return out;
}

awaitable<std::optional<loaded_manifest>> manifest_store::read_latest() {
    auto seqs = co_await list_versions();
    if (seqs.empty()) {
        last_seen_ = 0;
        co_return std::nullopt;
    }
    auto latest = co_await read_version(seqs.back());
    last_seen_ = latest.sequence;
    co_return latest;
}

awaitable<std::uint64_t> manifest_store::publish(manifest m) {
    auto seqs = co_await list_versions();
    std::uint64_t highest = seqs.empty() ? 0 : seqs.back();
    if (highest != last_seen_)
        conflict(
            fmt::format("backup '{}': another writer published manifest version {} after "
                        "this one last saw version {}; refusing to overwrite it",
                        layout_.backup_id(), highest, last_seen_));
    m.sequence = highest + 1;
    m.writer_id = writer_id_;
    if (m.backup_id.empty()) m.backup_id = layout_.backup_id();
    if (m.backup_id != layout_.backup_id())
        throw std::invalid_argument(
            fmt::format("manifest of backup '{}' cannot be published under '{}'", m.backup_id,
                        layout_.backup_id()));
    auto key = layout_.manifest(m.sequence);
    co_await b_->put(key, shared_buffer::copy_of(serialize_manifest(m)));
    // Read back: a concurrent put of the same sequence would have replaced ours.
    auto back = co_await read_version(m.sequence);
    if (back.value.writer_id != writer_id_)
        conflict(
            fmt::format("{}: writer '{}' published the same version concurrently; this "
                        "writer ('{}') stops",
                        name_of(key), back.value.writer_id, writer_id_));
    last_seen_ = m.sequence;
    co_return m.sequence;
}

awaitable<std::size_t> manifest_store::prune(std::size_t keep) {
    if (keep < 1) throw std::invalid_argument("manifest prune must keep at least one version");
    auto seqs = co_await list_versions();
    if (seqs.size() <= keep) co_return 0;
    std::vector<std::string> doomed;
    for (std::size_t i = 0; i + keep < seqs.size(); ++i)
        doomed.push_back(layout_.manifest(seqs[i]));
    auto n = doomed.size();
    co_await b_->remove_many(std::move(doomed));
    co_return n;
}

}  // namespace kb::storage::format
