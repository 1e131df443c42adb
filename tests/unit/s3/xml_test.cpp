// S3 XML documents parsed with pugixml, from sample responses shaped like AWS's
// and MinIO's.
#include <kb/runtime/error.hpp>
#include <kb/storage/s3/xml.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace kb::storage::s3;

namespace {

constexpr std::string_view list_page_one = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>prod%2F</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents>
    <Key>prod%2Fa+b%2Bc.kb</Key>
    <LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
    <Size>434234</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>prod%2Fz%C3%A9</Key>
    <LastModified>2024-02-29T23:59:59Z</LastModified>
    <ETag>"e1-2"</ETag>
    <Size>0</Size>
  </Contents>
</ListBucketResult>)";

constexpr std::string_view list_last_page =
    R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><IsTruncated>false</IsTruncated>
  <Contents><Key>plain key</Key><Size>5368709120</Size><ETag>"x"</ETag></Contents>
</ListBucketResult>)";

std::chrono::system_clock::time_point utc(std::time_t t) {
    return std::chrono::system_clock::from_time_t(t);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_xml)

BOOST_AUTO_TEST_CASE(error_document) {
    auto doc = parse_error_document(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>
<Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>)");
    BOOST_REQUIRE(doc.has_value());
    BOOST_TEST(doc->code == "NoSuchKey");
    BOOST_TEST(doc->message == "The resource you requested does not exist");
    BOOST_TEST(doc->resource == "/mybucket/myfoto.jpg");
    BOOST_TEST(doc->request_id == "4442587FB7D0A2F9");
    BOOST_TEST(!parse_error_document("").has_value());
    BOOST_TEST(!parse_error_document("<html>bad gateway</html>").has_value());
    BOOST_TEST(!parse_error_document("not xml at all <").has_value());
}

BOOST_AUTO_TEST_CASE(list_objects_v2_truncated_page_url_encoded) {
    auto r = parse_list_objects_v2(list_page_one, true);
    BOOST_TEST(r.truncated);
    BOOST_REQUIRE(r.next_token.has_value());
    BOOST_TEST(*r.next_token == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
    BOOST_REQUIRE(r.objects.size() == 2u);
    BOOST_TEST(r.objects[0].key == "prod/a b+c.kb");
    BOOST_TEST(r.objects[0].size == 434234u);
    BOOST_TEST(r.objects[0].etag == "fba9dede5f27731c9771645a39863328");
    BOOST_TEST((r.objects[0].last_modified == utc(1255369830)));  // 2009-10-12T17:50:30Z
    BOOST_TEST(r.objects[1].key == "prod/z\xc3\xa9");
    BOOST_TEST(r.objects[1].etag == "e1-2");
    BOOST_TEST((r.objects[1].last_modified == utc(1709251199)));  // 2024-02-29T23:59:59Z
}

BOOST_AUTO_TEST_CASE(list_objects_v2_last_page) {
    auto r = parse_list_objects_v2(list_last_page, false);
    BOOST_TEST(!r.truncated);
    BOOST_TEST(!r.next_token.has_value());
    BOOST_REQUIRE(r.objects.size() == 1u);
    BOOST_TEST(r.objects[0].key == "plain key");
    BOOST_TEST(r.objects[0].size == 5368709120ull);
}

BOOST_AUTO_TEST_CASE(malformed_listings_are_fatal) {
    auto fatal = [](const kb::error& e) {
        return e.cls() == kb::error_class::fatal && e.code() == "MalformedXML";
    };
    BOOST_CHECK_EXCEPTION(parse_list_objects_v2("<ListBucketResult><Contents>", false), kb::error,
                          fatal);
    BOOST_CHECK_EXCEPTION(parse_list_objects_v2("<Other/>", false), kb::error, fatal);
    BOOST_CHECK_EXCEPTION(
        parse_list_objects_v2(
            "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", false),
        kb::error, fatal);
    BOOST_CHECK_EXCEPTION(
        parse_list_objects_v2(
            "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>",
            false),
        kb::error, fatal);
}

BOOST_AUTO_TEST_CASE(initiate_multipart_upload_result) {
    auto id = parse_upload_id(R"(<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Bucket>example-bucket</Bucket><Key>example-object</Key>
<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>)");
    BOOST_TEST(id == "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
    BOOST_CHECK_THROW(parse_upload_id("<InitiateMultipartUploadResult/>"), kb::error);
}

BOOST_AUTO_TEST_CASE(delete_result_errors) {
    auto failures =
        parse_delete_result(R"(<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Deleted><Key>a</Key></Deleted>
<Error><Key>b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
</DeleteResult>)");
    BOOST_REQUIRE(failures.size() == 1u);
    BOOST_TEST(failures[0].key == "b");
    BOOST_TEST(failures[0].code == "AccessDenied");
    BOOST_TEST(parse_delete_result("<DeleteResult/>").empty());
}

BOOST_AUTO_TEST_CASE(request_documents_escape_and_order) {
    auto complete = complete_multipart_xml({{2, "\"etag-2\""}, {1, "etag-1"}});
    BOOST_TEST(complete.find("<Part><PartNumber>1</PartNumber><ETag>\"etag-1\"</ETag></Part>"
                             "<Part><PartNumber>2</PartNumber>") != std::string::npos);
    auto del = delete_objects_xml({"a&b<c>", "plain"});
    BOOST_TEST(del.find("<Quiet>true</Quiet>") != std::string::npos);
    BOOST_TEST(del.find("<Object><Key>a&amp;b&lt;c&gt;</Key></Object>") != std::string::npos);
    BOOST_TEST(del.find("<Object><Key>plain</Key></Object>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dates_and_decoding) {
    BOOST_TEST((parse_http_date("Wed, 12 Oct 2009 17:50:00 GMT") == utc(1255369800)));
    BOOST_CHECK_THROW(parse_http_date("yesterday"), kb::error);
    BOOST_TEST(url_decode("a%2Fb+c%2B", true) == "a/b c+");
    BOOST_TEST(url_decode("a+b%zz%4", false) == "a+b%zz%4");
}

BOOST_AUTO_TEST_CASE(list_multipart_uploads_pages_and_markers) {
    constexpr std::string_view truncated = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>bucket</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>
  <NextKeyMarker>prod%2Fb%2B1.seg</NextKeyMarker><NextUploadIdMarker>id-2</NextUploadIdMarker>
  <EncodingType>url</EncodingType><MaxUploads>2</MaxUploads><IsTruncated>true</IsTruncated>
  <Upload><Key>prod%2Fa.seg</Key><UploadId>id-1</UploadId>
    <Initiated>2010-11-10T20:48:33.000Z</Initiated><StorageClass>STANDARD</StorageClass></Upload>
  <Upload><Key>prod%2Fb%2B1.seg</Key><UploadId>id-2</UploadId>
    <Initiated>2010-11-10T20:49:33.000Z</Initiated></Upload>
</ListMultipartUploadsResult>)";
    auto page = parse_list_multipart_uploads(truncated, true);
    BOOST_REQUIRE(page.uploads.size() == 2u);
    BOOST_TEST(page.uploads[0].key == "prod/a.seg");
    BOOST_TEST(page.uploads[0].upload_id == "id-1");
    BOOST_TEST(page.uploads[1].key == "prod/b+1.seg");
    BOOST_TEST(std::chrono::system_clock::to_time_t(page.uploads[0].initiated) == 1289422113);
    BOOST_TEST(page.truncated);
    BOOST_TEST(page.next_key_marker == "prod/b+1.seg");
    BOOST_TEST(page.next_upload_id_marker == "id-2");

    auto last = parse_list_multipart_uploads(
        R"(<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>)",
        true);
    BOOST_TEST(last.uploads.empty());
    BOOST_TEST(!last.truncated);

    auto code_of = [](std::string_view xml) {
        try {
            parse_list_multipart_uploads(xml, true);
        } catch (const kb::error& e) {
            return e.code();
        }
        return std::string("(no error)");
    };
    BOOST_TEST(code_of("<ListBucketResult/>") == "MalformedXML");
    BOOST_TEST(code_of("<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
                       "</ListMultipartUploadsResult>") == "MalformedXML");
    BOOST_TEST(code_of("<ListMultipartUploadsResult><Upload><Key>k</Key></Upload>"
                       "</ListMultipartUploadsResult>") == "MalformedXML");
}

BOOST_AUTO_TEST_SUITE_END()
