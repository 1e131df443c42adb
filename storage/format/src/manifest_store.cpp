#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>

namespace kb::storage::format {

namespace {

// The tail of a manifest holds its updated_at and writer_id (keys are written in
// sorted order, writer_id last): comparing it tells our object from another's.
constexpr std::uint64_t own_write_tail = 512;
constexpr int read_latest_attempts = 3;

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
        check_segment_keys(out.value, layout_);
    } catch (const kb::error& e) {
        throw kb::error(e.cls(), e.code(), name_of(key) + ": " + e.what(), e.why());
    }
    if (out.value.sequence != sequence || out.value.backup_id != layout_.backup_id())
        throw kb::error(error_class::fatal, "InvalidManifest",
                        fmt::format("{}: holds sequence {} of backup '{}', not what its name says",
                                    name_of(key), out.value.sequence, out.value.backup_id));
    co_return out;
}

// A writer prunes old versions as it publishes, so the newest one seen in a
// listing can be gone by the time it is read: list again then.
awaitable<std::optional<loaded_manifest>> manifest_store::read_latest() {
    for (int attempt = 1;; ++attempt) {
        auto seqs = co_await list_versions();
        if (seqs.empty()) {
            last_seen_ = 0;
            synced_ = true;
            co_return std::nullopt;
        }
        try {
            auto latest = co_await read_version(seqs.back());
            last_seen_ = latest.sequence;
            synced_ = true;
            co_return latest;
        } catch (const kb::error& e) {
            // A version pruned between the list and the read: list again.
            if (e.why() != reason::object_missing || attempt == read_latest_attempts) throw;
        }
    }
}

awaitable<void> manifest_store::refuse_newer(std::uint64_t found) {
    auto seqs = co_await list_versions();
    conflict(fmt::format(
        "backup '{}': another writer published manifest version {} after "
        "this one last saw version {}; refusing to overwrite it",
        layout_.backup_id(), seqs.empty() ? found : std::max(found, seqs.back()), last_seen_));
}

// The sequence after the last one this writer saw, unless that one exists. It
// can exist because another writer published it (refused), or because this
// writer did and never heard back (a lost PUT response, a failed read-back):
// then the object carries our writer_id and we carry on after it.
awaitable<std::uint64_t> manifest_store::next_sequence() {
    if (!synced_) {
        // Never read: only an empty backup may be written without a look first.
        auto seqs = co_await list_versions();
        if (!seqs.empty()) co_await refuse_newer(seqs.back());  // throws
        synced_ = true;
    }
    for (;;) {
        const auto next = last_seen_ + 1;
        if (!co_await b_->head(layout_.manifest(next))) co_return next;
        auto existing = co_await read_version(next);
        if (existing.value.writer_id != writer_id_) co_await refuse_newer(next);  // throws
        kb::log::debug("manifest", "{}: version {} is this writer's own (its reply was lost)",
                       layout_.backup_id(), next);
        last_seen_ = next;
    }
}

// Read back: a concurrent put of the same sequence would have replaced ours.
awaitable<void> manifest_store::check_own_write(std::uint64_t sequence, std::string_view body) {
    const auto key = layout_.manifest(sequence);
    auto info = co_await b_->head(key);
    bool ours = info && info->size == body.size();
    if (ours) {
        const auto n = std::min<std::uint64_t>(own_write_tail, body.size());
        auto tail = co_await b_->get(key, byte_range{body.size() - n, n});
        ours = tail.as_string_view() == body.substr(body.size() - n);
    }
    if (ours) co_return;
    std::string other = "another writer";
    try {
        other = "writer '" + (co_await read_version(sequence)).value.writer_id + "'";
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
    }
    conflict(fmt::format("{}: {} published the same version concurrently; this writer ('{}') stops",
                         name_of(key), other, writer_id_));
}

awaitable<std::uint64_t> manifest_store::publish(manifest m) {
    if (m.backup_id.empty()) m.backup_id = layout_.backup_id();
    if (m.backup_id != layout_.backup_id())
        throw std::invalid_argument(
            fmt::format("manifest of backup '{}' cannot be published under '{}'", m.backup_id,
                        layout_.backup_id()));
    m.sequence = co_await next_sequence();
    m.writer_id = writer_id_;
    check_segment_keys(m, layout_);
    const auto body = serialize_manifest(m);
    co_await b_->put(layout_.manifest(m.sequence), shared_buffer::copy_of(body));
    co_await check_own_write(m.sequence, body);
    last_seen_ = m.sequence;
    last_size_ = body.size();
    co_await drop_expired(m.sequence);
    co_return m.sequence;
}

// Rolling prune: one delete per publish keeps `keep_` versions without a listing.
awaitable<void> manifest_store::drop_expired(std::uint64_t published) {
    if (keep_ == 0 || published <= keep_) co_return;
    try {
        co_await b_->remove(layout_.manifest(published - keep_));
    } catch (const kb::error& e) {
        if (kb::is_cancellation(e)) throw;
        kb::log::warn("manifest", "could not delete old manifest version {} of '{}': {}",
                      published - keep_, layout_.backup_id(), e.what());
    }
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

awaitable<std::size_t> manifest_store::remove_stale_temporaries() {
    co_return co_await b_->discard_staged(layout_.manifests_prefix());
}

}  // namespace kb::storage::format
