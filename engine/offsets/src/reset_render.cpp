// offset-reset output: JSON, text, CSV, and a kafka-consumer-groups.sh script.
#include <kb/offsets/reset.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace kb::offsets {
using nlohmann::json;
using kind = reset_spec::kind;

namespace {

std::string opt(const std::optional<std::int64_t>& v, const char* none) {
    return v ? std::to_string(*v) : none;
}

std::string pad(const std::string& s, std::size_t w, bool right = false) {
    std::string sp(s.size() < w ? w - s.size() : 0, ' ');
    return right ? sp + s : s + sp;
}

// Single-quotes for the shell.
std::string shq(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

json to_json(const reset_report& r) {
    json groups = json::array();
    for (const auto& g : r.groups) {
        json parts = json::array();
        for (const auto& m : g.moves)
            parts.push_back({{"topic", m.topic},
                             {"partition", m.partition},
                             {"current_offset", m.current ? json(*m.current) : json(nullptr)},
                             {"new_offset", m.target},
                             {"earliest_offset", m.earliest},
                             {"latest_offset", m.latest}});
        groups.push_back({{"group", g.group},
                          {"status", to_string(g.status)},
                          {"active_members", g.active_members},
                          {"message", g.message},
                          {"partitions", parts}});
    }
    return {{"action", r.action},
            {"target", r.spec},
            {"groups", groups},
            {"summary",
             {{"groups", r.groups.size()}, {"succeeded", r.succeeded()}, {"failed", r.failed()}}}};
}

std::string to_text(const reset_report& r) {
    std::size_t gw = 5, tw = 5;
    for (const auto& g : r.groups) {
        gw = std::max(gw, g.group.size());
        for (const auto& m : g.moves) tw = std::max(tw, m.topic.size());
    }
    std::string out = pad("GROUP", gw) + "  " + pad("TOPIC", tw) +
                      "  PARTITION     CURRENT         NEW  STATUS\n";
    for (const auto& g : r.groups)
        for (const auto& m : g.moves)
            out += fmt::format("{}  {}  {:>9}  {:>10}  {:>10}  {}\n", pad(g.group, gw),
                               pad(m.topic, tw), m.partition, opt(m.current, "-"), m.target,
                               to_string(g.status));
    for (const auto& g : r.groups)
        if (!g.message.empty())
            out += fmt::format("{}: {}: {}\n", g.group, to_string(g.status), g.message);
    out += fmt::format("{} ({}): {} group(s), {} succeeded, {} failed\n", r.action, r.spec,
                       r.groups.size(), r.succeeded(), r.failed());
    return out;
}

std::string to_csv(const reset_report& r) {
    std::string out = "group,topic,partition,current_offset,new_offset,status\n";
    for (const auto& g : r.groups) {
        if (g.moves.empty()) out += fmt::format("{},,,,,{}\n", g.group, to_string(g.status));
        for (const auto& m : g.moves)
            out += fmt::format("{},{},{},{},{},{}\n", g.group, m.topic, m.partition,
                               opt(m.current, ""), m.target, to_string(g.status));
    }
    return out;
}

std::string to_script(const reset_report& r, const std::vector<std::string>& bootstrap) {
    std::string servers;
    for (const auto& b : bootstrap) servers += (servers.empty() ? "" : ",") + b;
    std::string out =
        "#!/usr/bin/env bash\n"
        "# Written by kafka-backup offset-reset script (" +
        r.spec +
        ").\n"
        "# Commits the planned offsets with Kafka's own tool. Stop each group's consumers\n"
        "# first. Set KAFKA_BIN to Kafka's bin directory and COMMAND_CONFIG to a client\n"
        "# properties file when the cluster needs TLS or SASL.\n"
        "set -euo pipefail\n"
        "KCG=\"${KAFKA_BIN:+$KAFKA_BIN/}kafka-consumer-groups.sh\"\n"
        "CC=()\n[[ -n \"${COMMAND_CONFIG:-}\" ]] && CC=(--command-config \"$COMMAND_CONFIG\")\n"
        "BOOTSTRAP=" +
        shq(servers) + "\n";
    for (const auto& g : r.groups) {
        if (g.moves.empty()) {
            out += fmt::format("# {}: nothing to reset ({})\n", g.group, g.message);
            continue;
        }
        if (!g.message.empty()) out += "# " + g.group + ": " + g.message + "\n";
        for (const auto& m : g.moves)
            out += fmt::format(
                "\"$KCG\" --bootstrap-server \"$BOOTSTRAP\" \"${{CC[@]}}\" --group {} "
                "--reset-offsets --topic {} --to-offset {} --execute\n",
                shq(g.group), shq(fmt::format("{}:{}", m.topic, m.partition)), m.target);
    }
    return out;
}

}  // namespace kb::offsets
