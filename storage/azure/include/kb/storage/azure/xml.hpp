#pragma once
// The Blob service's XML documents, read and written with pugixml: error
// bodies, List Blobs results, Put Block List bodies. Pure; a document that does
// not parse throws kb::error(fatal, "MalformedXML") naming what was expected.

#include <kb/storage/backend.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::azure {

// <Error><Code/><Message/></Error>; nullopt when `xml` is empty or not that.
struct error_document {
    std::string code;
    std::string message;
};
std::optional<error_document> parse_error_document(std::string_view xml);

struct blob_listing {
    std::vector<object_info> blobs;  // names as the service sent them (full, prefix included)
    std::optional<std::string> next_marker;  // absent on the last page
};
// EnumerationResults (List Blobs, flat).
blob_listing parse_blob_listing(std::string_view xml);

// <BlockList><Latest>id</Latest>...</BlockList>, in the given order.
std::string block_list_xml(const std::vector<std::string>& block_ids);

// "Wed, 12 Oct 2009 17:50:00 GMT": Last-Modified in headers and listings.
std::chrono::system_clock::time_point parse_http_date(std::string_view text);
std::string format_http_date(std::chrono::system_clock::time_point t);

}  // namespace kb::storage::azure
