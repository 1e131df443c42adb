// The complete examples in docs/config.md parse and validate, so the reference stays true.
#include "helpers.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace kb::config;

namespace {

// The ```yaml blocks of the doc that are whole configs (start with "mode:").
std::vector<std::string> config_blocks(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> blocks;
    std::string line, current;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!inside && line == "```yaml") {
            inside = true;
            current.clear();
        } else if (inside && line == "```") {
            inside = false;
            if (current.rfind("mode:", 0) == 0) blocks.push_back(current);
        } else if (inside) {
            current += line + "\n";
        }
    }
    return blocks;
}

}  // namespace

BOOST_AUTO_TEST_CASE(docs_config_examples_parse_and_validate) {
    auto blocks = config_blocks(KB_CONFIG_DOCS "/config.md");
    BOOST_TEST_REQUIRE(blocks.size() >= 2u);
    // Every variable the examples use, as a plausible value.
    env_lookup env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "KAFKA_BOOTSTRAP_SERVERS") return "127.0.0.1:9092";
        return "value-of-" + name;
    };
    for (const auto& text : blocks) {
        config c = parse_yaml(text, "docs/config.md", env);
        BOOST_REQUIRE(c.mode.has_value());
        BOOST_CHECK_NO_THROW(validate(c, *c.mode));
    }
}

BOOST_AUTO_TEST_CASE(docs_start_offset_spellings) {
    for (const char* form :
         {"earliest", "latest", "{timestamp: 2025-01-15T00:00:00Z}",
          "{specific: {orders: {0: 1200, 1: 980}}}", "!specific {orders: {0: 1200}}"}) {
        BOOST_CHECK_NO_THROW(parse_yaml(std::string("backup:\n  start_offset: ") + form + "\n",
                                        "t.yaml", kbt::no_env()));
    }
}
