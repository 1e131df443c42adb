#include "notifier.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/helpers.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <list>

namespace kb::storage {

namespace asio = boost::asio;

struct multipart_writer::state {
    state(backend& b, std::string k, multipart_options o)
        : b(b), key(std::move(k)), opts(std::move(o)) {}

    struct part_task {
        asio::cancellation_signal signal;
        bool active = true;
    };

    backend& b;
    std::string key;
    multipart_options opts;
    asio::any_io_executor ex;              // the executor of the first coroutine using us
    std::optional<detail::notifier> wake;  // created with `ex`

    std::vector<shared_buffer> pending;  // slices of the caller's buffers, < one part
    std::size_t pending_bytes = 0;
    std::optional<std::string> upload_id;
    int next_part = 1;
    int in_flight = 0;
    std::list<part_task> tasks;  // kept for the state's life: signals must outlive their ops
    std::vector<completed_part> done;
    std::exception_ptr failure;  // first part failure
    std::uint64_t total = 0;
    bool closed = false;  // finished or aborted
};

namespace {

using state = multipart_writer::state;

// One contiguous body for a part: zero-copy when the part lies in one buffer.
shared_buffer assemble(std::vector<shared_buffer>& pieces, std::size_t bytes) {
    if (pieces.size() == 1) return std::move(pieces.front());
    std::vector<std::byte> out;
    out.reserve(bytes);
    for (auto& p : pieces) out.insert(out.end(), p.bytes().begin(), p.bytes().end());
    return shared_buffer::adopt(std::move(out));
}

// No retry here: the backend retries each call under its own budget (one layer),
// and what it throws is final.
awaitable<completed_part> upload_one(std::shared_ptr<state> st, int n, shared_buffer body) {
    co_return co_await st->b.upload_part(st->key, *st->upload_id, n, body);
}

awaitable<void> wait_for_slot(state& st, int limit) {
    while (st.in_flight > limit && !st.failure) co_await st.wake->wait();
    if (st.failure) std::rethrow_exception(st.failure);
}

awaitable<void> ensure_upload(state& st) {
    if (st.upload_id) co_return;
    st.upload_id = co_await st.b.create_multipart(st.key);
}

void spawn_part(const std::shared_ptr<state>& st, int n, shared_buffer body) {
    auto& task = st->tasks.emplace_back();
    ++st->in_flight;
    auto on_done = [st, &task](std::exception_ptr e, completed_part p) {
        task.active = false;
        --st->in_flight;
        if (e && !st->failure) st->failure = e;
        if (!e) st->done.push_back(std::move(p));
        st->wake->notify();
    };
    asio::co_spawn(st->ex, upload_one(st, n, std::move(body)),
                   asio::bind_cancellation_slot(task.signal.slot(), std::move(on_done)));
}

// Cuts the pending bytes into the next part and starts its upload.
awaitable<void> cut_part(std::shared_ptr<state> st) {
    co_await ensure_upload(*st);
    co_await wait_for_slot(*st, st->opts.max_in_flight - 1);
    int n = st->next_part++;
    if (n > max_parts)
        throw kb::error(
            error_class::fatal, "TooManyParts",
            fmt::format("'{}': more than {} parts; raise the part size", st->key, max_parts));
    auto body = assemble(st->pending, st->pending_bytes);
    st->pending.clear();
    st->pending_bytes = 0;
    spawn_part(st, n, std::move(body));
}

// Cancels parts in flight, waits for them, then aborts the upload (once).
awaitable<void> abort_upload(std::shared_ptr<state> st) {
    // Cleanup must run even when we got here because our coroutine was cancelled.
    co_await asio::this_coro::reset_cancellation_state();
    if (st->closed && !st->upload_id) co_return;
    st->closed = true;
    for (auto& t : st->tasks)
        if (t.active) t.signal.emit(asio::cancellation_type::terminal);
    while (st->in_flight > 0) co_await st->wake->wait();
    st->pending.clear();
    if (!st->upload_id) co_return;
    auto id = std::exchange(st->upload_id, std::nullopt);
    try {
        co_await st->b.abort_multipart(st->key, *id);
    } catch (...) {
        kb::log::warn("multipart_writer", "abort of upload of '{}' failed: {}", st->key,
                      kb::describe(std::current_exception()));
    }
}

void check_open(const state& st) {
    if (st.closed)
        throw std::logic_error("multipart_writer for '" + st.key + "' used after finish/abort");
}

awaitable<void> write_impl(std::shared_ptr<state> st, shared_buffer bytes) {
    st->total += bytes.size();
    while (!bytes.empty()) {
        auto take = std::min(bytes.size(), st->opts.part_size - st->pending_bytes);
        st->pending.push_back(bytes.slice(0, take));
        st->pending_bytes += take;
        bytes = bytes.slice(take);
        if (st->pending_bytes == st->opts.part_size) co_await cut_part(st);
    }
}

awaitable<void> finish_impl(std::shared_ptr<state> st) {
    if (!st->upload_id) {  // smaller than one part: a plain put
        auto body = assemble(st->pending, st->pending_bytes);
        co_await st->b.put(st->key, body);
        st->closed = true;
        co_return;
    }
    if (st->pending_bytes > 0) co_await cut_part(st);
    co_await wait_for_slot(*st, 0);
    std::sort(st->done.begin(), st->done.end(),
              [](auto& a, auto& b) { return a.part_number < b.part_number; });
    co_await st->b.complete_multipart(st->key, *st->upload_id, st->done);
    st->closed = true;
}

// Runs `op`; on any failure or cancellation aborts the upload, then rethrows.
awaitable<void> guarded(std::shared_ptr<state> st, awaitable<void> op) {
    check_open(*st);
    std::exception_ptr failure;
    try {
        co_await std::move(op);
    } catch (...) {
        failure = std::current_exception();
    }
    if (!failure) co_return;
    // A cancelled coroutine throws at its next co_await; clear that so cleanup runs.
    co_await asio::this_coro::reset_cancellation_state();
    co_await abort_upload(st);
    std::rethrow_exception(failure);
}

// The writer runs on the executor of the coroutine that first uses it.
awaitable<void> bind_executor(state& st) {
    if (st.wake) co_return;
    st.ex = co_await asio::this_coro::executor;
    st.wake.emplace(st.ex);
}

}  // namespace

awaitable<void> multipart_writer::write(shared_buffer bytes) {
    auto st = st_;
    co_await bind_executor(*st);
    co_await guarded(st, write_impl(st, std::move(bytes)));
}

awaitable<void> multipart_writer::finish() {
    auto st = st_;
    co_await bind_executor(*st);
    co_await guarded(st, finish_impl(st));
}

awaitable<void> multipart_writer::abort() {
    auto st = st_;
    co_await bind_executor(*st);
    if (!st->closed) co_await abort_upload(st);
}

multipart_writer::multipart_writer(backend& b, std::string key, multipart_options opts) {
    if (opts.part_size < min_part_size)
        throw std::invalid_argument(fmt::format("multipart part size {} is below the minimum {}",
                                                opts.part_size, min_part_size));
    if (opts.max_in_flight < 1) throw std::invalid_argument("multipart max_in_flight must be >= 1");
    st_ = std::make_shared<state>(b, std::move(key), std::move(opts));
}

multipart_writer::multipart_writer(multipart_writer&&) noexcept = default;

multipart_writer::~multipart_writer() {
    if (!st_ || st_->closed || !st_->wake || (!st_->upload_id && st_->in_flight == 0)) return;
    kb::log::warn("multipart_writer", "upload of '{}' dropped unfinished; aborting it", st_->key);
    asio::co_spawn(st_->ex, abort_upload(st_), asio::detached);
}

std::uint64_t multipart_writer::bytes_written() const noexcept {
    return st_->total;
}
int multipart_writer::parts_uploaded() const noexcept {
    return static_cast<int>(st_->done.size());
}

}  // namespace kb::storage
