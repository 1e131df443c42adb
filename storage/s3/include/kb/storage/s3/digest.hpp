#pragma once
// The hashes and encodings SigV4 and Content-MD5 need live in storage/http
// (shared with the other HTTP backends); S3 code names them here as before.

#include <kb/storage/http/digest.hpp>

namespace kb::storage::s3 {

using http::base64;
using http::digest256;
using http::hex;
using http::hmac_sha256;
using http::md5_base64;
using http::sha256;
using http::sha256_hex;

}  // namespace kb::storage::s3
