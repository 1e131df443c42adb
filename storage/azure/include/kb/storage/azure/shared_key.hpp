#pragma once
// Azure Storage's Shared Key authorization, as a pure function of the request:
// the string to sign (verb, the standard headers, the x-ms-* headers in order,
// the canonicalized resource with its query), its HMAC-SHA256 under the
// account key, and the Authorization header value. No I/O, no clock: the
// caller puts x-ms-date among the headers. Format: "Authorize with Shared Key"
// (learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key),
// for service versions 2015-02-21 and later (a zero Content-Length is empty).

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::storage::azure {

using name_value = std::pair<std::string, std::string>;

struct signing_input {
    std::string method;               // "GET", "PUT", ...
    std::string encoded_path;         // the URI path as sent: "/devstoreaccount1/c/a%20b"
    std::vector<name_value> query;    // decoded names and values, any order
    std::vector<name_value> headers;  // as sent, any case, any order
};

// "/" + account + path, then "\n" + lowercased name + ":" + values (sorted,
// comma-joined) for each query parameter, sorted by name.
std::string canonicalized_resource(std::string_view account, const signing_input& in);

// Every x-ms-* header, lowercased, sorted, "name:value\n" with the value trimmed
// and inner runs of whitespace folded to one space.
std::string canonicalized_headers(const signing_input& in);

std::string string_to_sign(std::string_view account, const signing_input& in);

// base64(HMAC-SHA256(key, string_to_sign)); `key` is the decoded account key.
std::string signature(std::span<const std::byte> key, std::string_view string_to_sign);

// "SharedKey <account>:<signature>".
std::string authorization(std::string_view account, std::span<const std::byte> key,
                          const signing_input& in);

}  // namespace kb::storage::azure
