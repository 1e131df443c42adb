#include "notifier.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/helpers.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include <deque>

namespace kb::storage {

namespace asio = boost::asio;

namespace {

// One GET in flight (or finished, waiting to be handed out).
struct range_slot {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    runtime::byte_permit permit;
    shared_buffer data;
    std::exception_ptr error;
    bool done = false;
    asio::cancellation_signal signal;
};

}  // namespace

struct ranged_reader::state {
    state(backend& b, std::string k, byte_range r, std::shared_ptr<runtime::byte_budget> budget,
          ranged_reader_options o)
        : b(b),
          key(std::move(k)),
          next_offset(r.offset),
          end(r.offset + r.length),
          budget(std::move(budget)),
          opts(std::move(o)) {}

    backend& b;
    std::string key;
    std::uint64_t next_offset;
    std::uint64_t end;
    std::shared_ptr<runtime::byte_budget> budget;
    ranged_reader_options opts;
    std::optional<detail::notifier> wake;
    asio::any_io_executor ex;
    std::deque<std::shared_ptr<range_slot>> window;  // in object order
    int requested = 0;

    std::uint64_t next_length() const {
        return std::min<std::uint64_t>(opts.range_size, end - next_offset);
    }
};

namespace {

using state = ranged_reader::state;

awaitable<shared_buffer> fetch_range(std::shared_ptr<state> st, std::shared_ptr<range_slot> s) {
    auto what = fmt::format("get '{}' bytes {}+{}", st->key, s->offset, s->length);
    // No retry here: the backend retries the GET under its own budget (one layer).
    std::optional<byte_range> range = byte_range{s->offset, s->length};
    auto data = co_await st->b.get(st->key, range);
    if (data.size() != s->length)
        throw kb::error(
            error_class::fatal, "ShortRead",
            fmt::format("{}: got {} bytes (object changed or truncated?)", what, data.size()));
    co_return data;
}

void issue(const std::shared_ptr<state>& st, runtime::byte_permit permit) {
    auto s = std::make_shared<range_slot>();
    s->offset = st->next_offset;
    s->length = st->next_length();
    s->permit = std::move(permit);
    st->next_offset += s->length;
    ++st->requested;
    st->window.push_back(s);
    auto on_done = [st, s](std::exception_ptr e, shared_buffer data) {
        s->done = true;
        s->error = e;
        s->data = std::move(data);
        st->wake->notify();
    };
    asio::co_spawn(st->ex, fetch_range(st, s),
                   asio::bind_cancellation_slot(s->signal.slot(), std::move(on_done)));
}

// Read-ahead: start more ranges only while the budget has room right now.
void fill_read_ahead(const std::shared_ptr<state>& st) {
    while (static_cast<int>(st->window.size()) < st->opts.read_ahead && st->next_offset < st->end) {
        runtime::byte_permit permit;
        if (st->budget) {
            auto p = st->budget->try_acquire(st->next_length());
            if (!p) return;
            permit = std::move(*p);
        }
        issue(st, std::move(permit));
    }
}

awaitable<void> ensure_front(std::shared_ptr<state> st) {
    if (!st->window.empty()) co_return;
    runtime::byte_permit permit;
    if (st->budget) permit = co_await st->budget->acquire(st->next_length());
    issue(st, std::move(permit));
}

}  // namespace

ranged_reader::ranged_reader(backend& b, std::string key, byte_range range,
                             std::shared_ptr<runtime::byte_budget> budget,
                             ranged_reader_options opts) {
    if (opts.range_size == 0 || opts.read_ahead < 1)
        throw std::invalid_argument("ranged_reader needs range_size > 0 and read_ahead >= 1");
    st_ = std::make_shared<state>(b, std::move(key), range, std::move(budget), std::move(opts));
}

ranged_reader::ranged_reader(ranged_reader&&) noexcept = default;

ranged_reader::~ranged_reader() {
    if (!st_) return;
    for (auto& s : st_->window)
        if (!s->done) s->signal.emit(asio::cancellation_type::terminal);
}

awaitable<std::optional<range_chunk>> ranged_reader::next() {
    auto st = st_;
    if (!st->wake) {
        st->ex = co_await asio::this_coro::executor;
        st->wake.emplace(st->ex);
    }
    if (st->window.empty() && st->next_offset >= st->end) co_return std::nullopt;
    co_await ensure_front(st);
    fill_read_ahead(st);
    auto front = st->window.front();
    while (!front->done) co_await st->wake->wait();
    st->window.pop_front();
    if (front->error) std::rethrow_exception(front->error);
    fill_read_ahead(st);  // the freed slot starts the next range while the caller works
    co_return range_chunk{front->offset, std::move(front->data), std::move(front->permit)};
}

int ranged_reader::ranges_requested() const noexcept {
    return st_->requested;
}

}  // namespace kb::storage
