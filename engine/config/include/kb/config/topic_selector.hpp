#pragma once
// Topic selection from include/exclude patterns. A pattern is a glob
// (`*` any run, `?` one character, `[a-z]`/`[!x]` a class) or, when it starts
// with `~`, an ECMAScript regular expression that must match the whole name.
// Internal topics (names starting with "__") are selected only when asked for:
// include_internal, or an include pattern naming them literally.
// Immutable after construction; safe to share between threads.

#include <kb/config/cluster.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kb::config {

bool glob_match(std::string_view pattern, std::string_view text);
// True when `pattern` has no glob characters and is not a regex.
bool is_literal_pattern(std::string_view pattern);

class topic_selector {
  public:
    // Selects every non-internal topic.
    topic_selector();
    // Throws config_error naming `key` (e.g. "source.topics") on a bad regex.
    explicit topic_selector(const topic_selection& sel, bool include_internal = false,
                            const std::string& key = "topics");
    ~topic_selector();
    topic_selector(const topic_selector&);
    topic_selector& operator=(const topic_selector&);

    bool matches(std::string_view topic) const;
    // Include patterns that name one topic exactly: a backup must fail when one
    // of these does not exist rather than silently back up nothing.
    std::vector<std::string> literal_includes() const;
    // Topic names from `all` that match, in the order given.
    std::vector<std::string> filter(const std::vector<std::string>& all) const;

  private:
    struct impl;
    std::shared_ptr<const impl> impl_;
};

}  // namespace kb::config
