// The Blob service's XML: listings (as Azurite and Azure send them), errors,
// block lists; HTTP dates both ways.
#include <kb/runtime/error.hpp>
#include <kb/storage/azure/xml.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::storage::azure;

BOOST_AUTO_TEST_SUITE(azure_xml)

BOOST_AUTO_TEST_CASE(listing_with_next_marker) {
    auto l = parse_blob_listing(R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1:54000/devstoreaccount1" ContainerName="c">
<Prefix>p/</Prefix><MaxResults>2</MaxResults><Blobs>
<Blob><Name>p/a b</Name><Properties><Last-Modified>Sat, 05 Dec 2026 20:00:00 GMT</Last-Modified>
<Etag>"0x8DD"</Etag><Content-Length>11</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>
<Blob><Name>p/c</Name><Properties><Content-Length>0</Content-Length><Etag>0x1</Etag></Properties></Blob>
</Blobs><NextMarker>MARK</NextMarker></EnumerationResults>)");
    BOOST_REQUIRE(l.blobs.size() == 2u);
    BOOST_TEST(l.blobs[0].key == "p/a b");
    BOOST_TEST(l.blobs[0].size == 11u);
    BOOST_TEST(l.blobs[0].etag == "0x8DD");
    BOOST_TEST((l.blobs[0].last_modified == parse_http_date("Sat, 05 Dec 2026 20:00:00 GMT")));
    BOOST_REQUIRE(l.next_marker.has_value());
    BOOST_TEST(*l.next_marker == "MARK");
}

BOOST_AUTO_TEST_CASE(last_page_has_no_marker) {
    auto l = parse_blob_listing("<EnumerationResults><Blobs/><NextMarker/></EnumerationResults>");
    BOOST_TEST(l.blobs.empty());
    BOOST_TEST(!l.next_marker.has_value());
    BOOST_CHECK_THROW(parse_blob_listing("<Other/>"), kb::error);
    BOOST_CHECK_THROW(parse_blob_listing("<<"), kb::error);
}

BOOST_AUTO_TEST_CASE(error_document) {
    auto e =
        parse_error_document("<Error><Code>BlobNotFound</Code><Message>gone</Message></Error>");
    BOOST_REQUIRE(e.has_value());
    BOOST_TEST(e->code == "BlobNotFound");
    BOOST_TEST(!parse_error_document("").has_value());
    BOOST_TEST(!parse_error_document("not xml").has_value());
}

BOOST_AUTO_TEST_CASE(block_list_body) {
    BOOST_TEST(block_list_xml({"QQ==", "Qg=="}) ==
               "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>QQ==</Latest>"
               "<Latest>Qg==</Latest></BlockList>");
}

BOOST_AUTO_TEST_CASE(http_dates_round_trip) {
    auto t = parse_http_date("Sat, 05 Dec 2026 20:00:00 GMT");
    BOOST_TEST(format_http_date(t) == "Sat, 05 Dec 2026 20:00:00 GMT");
}

BOOST_AUTO_TEST_SUITE_END()
