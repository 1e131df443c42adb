#pragma once
// Values a user typed, echoed back in error messages. A value may be huge (a
// 10 MB backup id), hold newlines (which would break "one line per error") or
// credentials (s3://KEY:SECRET@bucket): these helpers keep messages short, on
// one line and free of secrets.

#include <cstddef>
#include <string>
#include <string_view>

namespace kb::runtime {

// How much of a value messages show.
inline constexpr std::size_t echo_limit = 100;

// The value in single quotes with control characters escaped (\n, \t, \x01);
// longer than `limit` bytes: its first `limit` bytes (never splitting a UTF-8
// character), an ellipsis and the original length: 'abc…' (10485760 bytes).
std::string echo(std::string_view value, std::size_t limit = echo_limit);

// True when a URL has user-info before its host ("s3://KEY:SECRET@bucket/p",
// "http://user@host:9000").
bool has_userinfo(std::string_view url);

}  // namespace kb::runtime
