// validate --deep and cancellation: an interrupted read is not a damaged segment.
#include <kb/inspect/validate.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/backend.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>

namespace ki = kb::inspect;
namespace sf = kb::storage::format;
namespace st = kb::storage;

namespace {

// Every segment exists with the manifest's size; reading it fails with `failure`.
class failing_reads : public st::backend {
  public:
    explicit failing_reads(std::function<void()> failure) : fail_(std::move(failure)) {}
    std::string describe() const override { return "failing-reads"; }
    st::awaitable<void> put(std::string, st::shared_buffer) override { co_return; }
    st::awaitable<st::shared_buffer> get(std::string, std::optional<st::byte_range>) override {
        fail_();
        co_return st::shared_buffer{};
    }
    st::awaitable<std::optional<st::object_info>> head(std::string key) override {
        co_return st::object_info{.key = key, .size = 100};
    }
    st::awaitable<st::list_page> list(std::string, std::optional<std::string>, int) override {
        co_return st::list_page{};
    }
    st::awaitable<void> remove(std::string) override { co_return; }
    st::awaitable<void> remove_many(std::vector<std::string>) override { co_return; }
    st::awaitable<std::string> create_multipart(std::string) override { co_return "u"; }
    st::awaitable<st::completed_part> upload_part(std::string, std::string, int,
                                                  st::shared_buffer) override {
        co_return st::completed_part{};
    }
    st::awaitable<void> complete_multipart(std::string, std::string,
                                           std::vector<st::completed_part>) override {
        co_return;
    }
    st::awaitable<void> abort_multipart(std::string, std::string) override { co_return; }
    st::awaitable<std::vector<st::multipart_upload>> list_multipart_uploads(std::string) override {
        co_return std::vector<st::multipart_upload>{};
    }

  private:
    std::function<void()> fail_;
};

sf::manifest one_segment() {
    sf::segment_ref s;
    s.key = "b1/segments/t/0/0.seg";
    s.first_offset = 0;
    s.last_offset = 9;
    s.record_count = 10;
    s.stored_bytes = 100;
    sf::topic_manifest t;
    t.name = "t";
    t.partition_count = 1;
    t.partitions = {sf::partition_manifest{0, 0, 10, {s}, {}}};
    sf::manifest m;
    m.backup_id = "b1";
    m.topics = {t};
    return m;
}

// Runs a deep validation to the end; its outcome (a result or an exception).
std::pair<std::optional<ki::validation_result>, std::exception_ptr> deep_validate(st::backend& b) {
    boost::asio::io_context io;
    std::optional<ki::validation_result> result;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, ki::validate_backup(b, one_segment(), true),
                          [&](std::exception_ptr e, ki::validation_result r) {
                              failure = e;
                              if (!e) result = std::move(r);
                          });
    io.run();
    return {result, failure};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_cancelled_deep_check_is_not_reported_as_corruption) {
    failing_reads b([] {
        throw boost::system::system_error(boost::asio::error::operation_aborted, "cancelled");
    });
    auto [result, failure] = deep_validate(b);
    BOOST_TEST(!result.has_value());  // no report at all, let alone a "corrupt" segment
    BOOST_TEST(kb::is_cancellation(failure));
}

BOOST_AUTO_TEST_CASE(an_unreadable_segment_is_still_reported) {
    failing_reads b(
        [] { throw kb::error(kb::error_class::fatal, "InternalError", "disk on fire"); });
    auto [result, failure] = deep_validate(b);
    BOOST_REQUIRE(result.has_value());
    BOOST_REQUIRE(result->issues.size() == 1u);
    BOOST_TEST(result->issues[0].kind == "unreadable");
}
