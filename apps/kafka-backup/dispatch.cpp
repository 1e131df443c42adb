// Finding the subcommand and running it with every failure turned into one line.
#include "cli.hpp"
#include "exit_codes.hpp"

#include <kb/runtime/echo.hpp>

#include <algorithm>
#include <iostream>

namespace kb::cli {
namespace {

bool wants_help(const args& a) {
    return std::any_of(a.begin(), a.end(),
                       [](const std::string& s) { return s == "-h" || s == "--help"; });
}

// The closest command name, for "did you mean".
std::string suggestion(std::string_view typed) {
    std::string best;
    if (typed.size() > 40) return best;  // no command is that long
    std::size_t best_score = 3;          // at most two edits
    for (const auto& c : command_table()) {
        std::vector<std::string> names = c.aliases;
        names.push_back(c.name);
        for (const auto& n : names) {
            // Levenshtein distance, small strings only.
            std::vector<std::size_t> prev(n.size() + 1), cur(n.size() + 1);
            for (std::size_t j = 0; j <= n.size(); ++j) prev[j] = j;
            for (std::size_t i = 1; i <= typed.size(); ++i) {
                cur[0] = i;
                for (std::size_t j = 1; j <= n.size(); ++j)
                    cur[j] = std::min(
                        {prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (typed[i - 1] != n[j - 1])});
                prev.swap(cur);
            }
            if (prev[n.size()] < best_score) {
                best_score = prev[n.size()];
                best = n;
            }
        }
    }
    return best;
}

int unknown_command(const std::string& typed) {
    auto guess = suggestion(typed);
    print_error("unknown command " + kb::runtime::echo(typed),
                (guess.empty() ? "" : "did you mean '" + guess + "'? ") +
                    "'kafka-backup --help' lists the commands");
    return exit_code::usage;
}

}  // namespace

const command_spec* find_command(std::string_view name) {
    for (const auto& c : command_table()) {
        if (c.name == name) return &c;
        for (const auto& a : c.aliases)
            if (a == name) return &c;
    }
    return nullptr;
}

const std::vector<command_spec>& command_table() {
    static const std::vector<command_spec> table = {
        backup_command(),
        restore_command(),
        three_phase_restore_command(),
        validate_restore_command(),
        list_command(),
        describe_command(),
        validate_command(),
        prune_command(),
        offset_mapping_command(),
        offset_reset_command(),
        offset_snapshot_command(),
        offset_rollback_command(),
        snapshot_groups_command(),
        status_command(),
        offset_reset_bulk_command(),
        validation_command(),
    };
    return table;
}

// OSO's global -v/-vv/--verbose may stand before the command: it moves after it.
args move_global_verbose(const args& all) {
    args out;
    std::size_t i = 0;
    bool verbose = false;
    for (; i < all.size(); ++i) {
        const auto& s = all[i];
        bool v = s == "--verbose" ||
                 (s.size() >= 2 && s[0] == '-' && s.find_first_not_of('v', 1) == std::string::npos);
        if (!v) break;
        verbose = true;
    }
    out.assign(all.begin() + static_cast<std::ptrdiff_t>(i), all.end());
    if (verbose && !out.empty()) out.insert(out.begin() + 1, "--verbose");
    return out;
}

int run(const args& given) {
    const args all = move_global_verbose(given);
    if (all.empty()) {
        print_main_help(std::cerr);
        return exit_code::usage;
    }
    const std::string& first = all.front();
    if (first == "-h" || first == "--help" || first == "help") {
        print_main_help(std::cout);
        return exit_code::ok;
    }
    if (first == "-V" || first == "--version" || first == "version") {
        std::cout << version_line() << std::endl;
        return exit_code::ok;
    }
    if (!first.empty() && first.front() == '-') {
        print_error(
            "unknown option " + kb::runtime::echo(first) + " before the command",
            "write 'kafka-backup <command> [options]'; 'kafka-backup --help' lists the commands");
        return exit_code::usage;
    }
    const command_spec* cmd = find_command(first);
    if (!cmd) return unknown_command(first);
    args rest(all.begin() + 1, all.end());
    if (wants_help(rest)) {
        print_command_help(std::cout, *cmd);
        return exit_code::ok;
    }
    try {
        return cmd->run(first, rest);
    } catch (...) {
        return report_failure(std::current_exception(), first);
    }
}

}  // namespace kb::cli
