// ListMultipartUploads against the real MinIO: uploads in progress are listed
// under a prefix (MinIO reads the server-side prefix as an exact key, so the
// backend falls back to a bucket-wide listing filtered by prefix), completed and
// aborted ones are not, and over 1,000 of them all come back. MinIO answers a
// listing in one page whatever max-uploads says, so paging (key-marker,
// upload-id-marker) is checked against a small fake S3 that answers in pages.
#include "s3_env.hpp"

#include <kb/runtime/error.hpp>

#include <fmt/format.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace kb::s3test;
using boost::asio::awaitable;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

// Upload ids awscli sees in progress anywhere in the bucket (MinIO ignores a partial prefix).
std::string aws_uploads() {
    return aws(fmt::format("s3api list-multipart-uploads --bucket {} --output json", env().bucket));
}

struct many_uploads {
    std::string prefix;
    int total = 0, next = 0;
    std::vector<std::pair<std::string, std::string>> created;  // key, upload id
};

awaitable<void> create_worker(kb::storage::backend& b, many_uploads& m) {
    while (m.next < m.total) {
        auto key = fmt::format("{}{:05}.seg", m.prefix, m.next++);
        auto id = co_await b.create_multipart(key);
        m.created.emplace_back(key, id);
    }
}

awaitable<void> abort_worker(kb::storage::backend& b,
                             std::vector<kb::storage::multipart_upload>& us) {
    while (!us.empty()) {
        auto u = us.back();
        us.pop_back();
        co_await b.abort_multipart(u.key, u.upload_id);
    }
}

// Answers every request on 127.0.0.1 with the page of uploads its markers ask for:
// two pages of two and one uploads under "p/", with markers the client must echo.
class paging_fake_s3 {
  public:
    paging_fake_s3() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        thread_ = std::thread([this] { serve(); });
    }
    ~paging_fake_s3() {
        // A blocking accept() is not woken by close() from another thread: connect.
        stopping_ = true;
        boost::system::error_code ec;
        boost::asio::ip::tcp::socket wake(io_);
        wake.connect(acceptor_.local_endpoint(), ec);
        thread_.join();
    }
    std::string url() const {
        return fmt::format("http://127.0.0.1:{}", acceptor_.local_endpoint().port());
    }
    std::vector<std::string> targets() {
        std::lock_guard lock(mutex_);
        return targets_;
    }

  private:
    static std::string page_for(const std::string& target) {
        const char* head = R"(<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult>)";
        auto upload = [](const char* key, const char* id) {
            return fmt::format(
                "<Upload><Key>{}</Key><UploadId>{}</UploadId>"
                "<Initiated>2026-01-02T03:04:05.000Z</Initiated></Upload>",
                key, id);
        };
        if (target.find("key-marker=p%2Fb.seg") != std::string::npos &&
            target.find("upload-id-marker=id-b") != std::string::npos)
            return fmt::format("{}<IsTruncated>false</IsTruncated>{}</ListMultipartUploadsResult>",
                               head, upload("p/c.seg", "id-c"));
        return fmt::format(
            "{}<IsTruncated>true</IsTruncated><NextKeyMarker>p%2Fb.seg</NextKeyMarker>"
            "<NextUploadIdMarker>id-b</NextUploadIdMarker>{}{}</ListMultipartUploadsResult>",
            head, upload("p%2Fa.seg", "id-a"), upload("p/b.seg", "id-b"));
    }

    void serve() {
        namespace http = boost::beast::http;
        for (;;) {
            boost::system::error_code ec;
            boost::asio::ip::tcp::socket sock(io_);
            acceptor_.accept(sock, ec);
            if (ec || stopping_) return;
            boost::beast::flat_buffer buf;
            for (;;) {
                http::request<http::string_body> req;
                http::read(sock, buf, req, ec);
                if (ec) break;
                {
                    std::lock_guard lock(mutex_);
                    targets_.emplace_back(req.target());
                }
                http::response<http::string_body> res{http::status::ok, 11};
                res.set(http::field::content_type, "application/xml");
                res.body() = page_for(std::string(req.target()));
                res.prepare_payload();
                http::write(sock, res, ec);
                if (ec) break;
            }
        }
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::vector<std::string> targets_;
    std::thread thread_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_list_uploads)

BOOST_AUTO_TEST_CASE(pages_are_followed_with_both_markers) {
    paging_fake_s3 fake;
    auto cfg = minio_config();
    cfg.endpoint = fake.url();
    cfg.bucket = "fake";
    cfg.prefix = "";
    harness h(cfg);
    auto listed = h.run(h.b().list_multipart_uploads("p/"));
    BOOST_REQUIRE(listed.size() == 3u);
    BOOST_TEST(listed[0].key == "p/a.seg");  // url-decoded
    BOOST_TEST(listed[1].upload_id == "id-b");
    BOOST_TEST(listed[2].upload_id == "id-c");
    auto sent = fake.targets();
    BOOST_REQUIRE(sent.size() == 2u);  // the second page answered: no bucket-wide fallback
    BOOST_TEST(sent[0].find("prefix=p%2F") != std::string::npos, sent[0]);
    BOOST_TEST(sent[0].find("key-marker") == std::string::npos, sent[0]);
    BOOST_TEST(sent[1].find("key-marker=p%2Fb.seg") != std::string::npos, sent[1]);
    BOOST_TEST(sent[1].find("upload-id-marker=id-b") != std::string::npos, sent[1]);
}

BOOST_AUTO_TEST_CASE(uploads_in_progress_are_listed_by_prefix_until_finished) {
    harness h;
    const std::string a = "orphans/bk/segments/t/0/a.seg", c = "orphans/bk/segments/t/1/c.seg";
    const std::string outside = "orphans/other/x.seg", done = "orphans/bk/segments/t/0/b.seg";
    auto id_a = h.run(h.b().create_multipart(a));
    h.run(h.b().upload_part(a, id_a, 1, as_buffer(random_bytes(1u << 20, 7))));
    auto id_c = h.run(h.b().create_multipart(c));
    auto id_out = h.run(h.b().create_multipart(outside));
    auto id_done = h.run(h.b().create_multipart(done));
    auto part = h.run(h.b().upload_part(done, id_done, 1, as_buffer(random_bytes(1000, 8))));
    h.run(h.b().complete_multipart(done, id_done, {part}));

    auto listed = h.run(h.b().list_multipart_uploads("orphans/bk/segments/"));
    BOOST_REQUIRE(listed.size() == 2u);
    BOOST_TEST(listed[0].key == a);  // relative to the backend prefix, in key order
    BOOST_TEST(listed[0].upload_id == id_a);
    BOOST_TEST(listed[1].key == c);
    BOOST_TEST(listed[1].upload_id == id_c);
    auto age = std::chrono::system_clock::now() - listed[0].initiated;
    BOOST_TEST(std::chrono::abs(age) < std::chrono::minutes(5));
    auto seen = aws_uploads();
    BOOST_TEST(seen.find(id_a) != std::string::npos);  // awscli agrees they are there
    BOOST_TEST(seen.find(id_done) == std::string::npos);

    for (auto& u : listed) h.run(h.b().abort_multipart(u.key, u.upload_id));
    BOOST_TEST(h.run(h.b().list_multipart_uploads("orphans/bk/")).empty());
    seen = aws_uploads();
    BOOST_TEST(seen.find(id_a) == std::string::npos);
    BOOST_TEST(seen.find(id_c) == std::string::npos);
    auto rest = h.run(h.b().list_multipart_uploads("orphans/"));
    BOOST_REQUIRE(rest.size() == 1u);
    BOOST_TEST(rest[0].upload_id == id_out);
    h.run(h.b().abort_multipart(outside, id_out));
    h.run(h.b().remove(done));
}

BOOST_AUTO_TEST_CASE(over_a_thousand_uploads_all_come_back) {
    harness h;
    many_uploads m{.prefix = "orphans/many/", .total = 1003};
    auto& b = h.b();
    h.run(create_worker(b, m) && create_worker(b, m) && create_worker(b, m) && create_worker(b, m));
    auto listed = h.run(b.list_multipart_uploads("orphans/many/"));
    std::set<std::string> ids;
    for (auto& u : listed) ids.insert(u.upload_id);
    BOOST_TEST(listed.size() == 1003u);
    BOOST_TEST(ids.size() == 1003u);
    for (auto& [key, id] : m.created) BOOST_TEST(ids.count(id) == 1u, key);
    h.run(abort_worker(b, listed) && abort_worker(b, listed) && abort_worker(b, listed) &&
          abort_worker(b, listed));
    BOOST_TEST(h.run(b.list_multipart_uploads("orphans/many/")).empty());
}

BOOST_AUTO_TEST_SUITE_END()
