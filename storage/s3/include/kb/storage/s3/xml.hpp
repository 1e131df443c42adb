#pragma once
// S3's XML documents, read and written with pugixml: error responses,
// ListObjectsV2 results, multipart initiate/complete, DeleteObjects.
// Pure functions; a document that does not parse throws kb::error (fatal,
// "MalformedXML") naming what was expected.

#include <kb/storage/backend.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::s3 {

// <Error><Code/><Message/><Resource/><RequestId/></Error>
struct error_document {
    std::string code;
    std::string message;
    std::string resource;
    std::string request_id;
};
// nullopt when `xml` is empty or its root is not <Error>.
std::optional<error_document> parse_error_document(std::string_view xml);

struct list_result {
    std::vector<object_info> objects;  // keys as S3 sent them (decoded), root prefix not stripped
    bool truncated = false;
    std::optional<std::string> next_token;
};
// `url_encoded`: the request asked for encoding-type=url, so keys come percent-encoded.
list_result parse_list_objects_v2(std::string_view xml, bool url_encoded);

struct uploads_result {
    std::vector<multipart_upload> uploads;  // keys as S3 sent them (decoded), prefix not stripped
    bool truncated = false;
    std::string next_key_marker, next_upload_id_marker;  // set when truncated
};
// ListMultipartUploadsResult; `url_encoded` as for parse_list_objects_v2.
uploads_result parse_list_multipart_uploads(std::string_view xml, bool url_encoded);

// InitiateMultipartUploadResult/UploadId.
std::string parse_upload_id(std::string_view xml);

struct delete_failure {
    std::string key;
    std::string code;
    std::string message;
};
// DeleteResult/Error entries (empty in quiet mode when everything was deleted).
std::vector<delete_failure> parse_delete_result(std::string_view xml);

std::string complete_multipart_xml(std::vector<completed_part> parts);  // sorted by part number
std::string delete_objects_xml(const std::vector<std::string>& keys);   // quiet mode

// "2009-10-12T17:50:30.000Z" (XML listings) and "Wed, 12 Oct 2009 17:50:00 GMT" (headers).
std::chrono::system_clock::time_point parse_iso8601(std::string_view text);
std::chrono::system_clock::time_point parse_http_date(std::string_view text);

// Percent-decoding; '+' is a space in S3's encoding-type=url output.
std::string url_decode(std::string_view text, bool plus_is_space);

}  // namespace kb::storage::s3
