#pragma once
// Building Blob service requests apart from doing them: the encoded path of a
// container or blob under an account URL, the request target with its query
// (and a SAS token appended as given), block ids. Pure, unit-tested.

#include <kb/storage/azure/settings.hpp>
#include <kb/storage/azure/shared_key.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::azure {

// RFC 3986 percent-encoding of everything but unreserved characters (and '/'
// when `keep_slash`).
std::string uri_encode(std::string_view text, bool keep_slash);

// "/devstoreaccount1/container/a%20b" (path-style) or "/container/a%20b";
// `blob` empty addresses the container.
std::string encoded_path(const account_url& url, std::string_view container, std::string_view blob);

// Path, then "?" and the query (encoded, in the given order), then the SAS token.
std::string request_target(std::string_view path, const std::vector<name_value>& query,
                           std::string_view sas);

// Block ids must be base64 and all of one length within a blob: the upload id
// and a zero-padded block number, encoded.
std::string block_id(std::string_view upload_id, int block_number);

// Joins the backend's root prefix and a relative key: ("a/b", "k") -> "a/b/k".
std::string join_key(std::string_view prefix, std::string_view key);

}  // namespace kb::storage::azure
