#include "options.hpp"

#include <kb/config/load.hpp>
#include <kb/config/names.hpp>
#include <kb/config/storage_url.hpp>
#include <kb/config/time.hpp>
#include <kb/runtime/echo.hpp>
#include <kb/runtime/units.hpp>

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/value_semantic.hpp>

#include <cctype>
#include <charconv>

namespace kb::cli {

namespace kc = kb::config;

po::options_description general_options(bool with_config) {
    po::options_description d("General", 100, 50);
    auto add = d.add_options();
    add("help,h", "show this help and exit");
    if (with_config)
        add("config,c", po::value<std::string>()->value_name("FILE"),
            "YAML config in the OSO kafka-backup schema (docs/config.md); flags override it");
    add("log-level", po::value<std::string>()->value_name("LEVEL"),
        "debug|info|warn|error|off (default: the config's logging.level, else info)");
    add("verbose,v", po::bool_switch(), "same as --log-level debug");
    return d;
}

po::options_description kafka_options() {
    po::options_description d("Kafka cluster", 100, 50);
    d.add_options()  //
        ("bootstrap-servers",
         po::value<std::vector<std::string>>()->composing()->value_name("HOST:PORT,..."),
         "brokers to bootstrap from")  //
        ("security-protocol", po::value<std::string>()->value_name("P"),
         "PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL")  //
        ("sasl-mechanism", po::value<std::string>()->value_name("M"),
         "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512")                                              //
        ("sasl-username", po::value<std::string>()->value_name("USER"), "SASL user name")  //
        ("sasl-password", po::value<std::string>()->value_name("PASS"),
         "SASL password (flags show up in `ps`: prefer --sasl-password-file or KAFKA_PASSWORD)")  //
        ("sasl-password-file", po::value<std::string>()->value_name("FILE"),
         "read the SASL password from FILE (a trailing newline is dropped)")  //
        ("ssl-ca-location", po::value<std::string>()->value_name("FILE"),
         "CA certificates (PEM)")  //
        ("ssl-certificate-location", po::value<std::string>()->value_name("FILE"),
         "client certificate for mutual TLS (PEM)")                                             //
        ("ssl-key-location", po::value<std::string>()->value_name("FILE"), "client key (PEM)")  //
        ("ssl-key-password", po::value<std::string>()->value_name("PASS"),
         "password of the client key")  //
        ("ssl-key-password-file", po::value<std::string>()->value_name("FILE"),
         "read the client key's password from FILE")  //
        ("ssl-keystore-location", po::value<std::string>()->value_name("FILE"),
         "PKCS#12 keystore")  //
        ("ssl-keystore-password", po::value<std::string>()->value_name("PASS"),
         "keystore password")  //
        ("ssl-keystore-password-file", po::value<std::string>()->value_name("FILE"),
         "read the keystore password from FILE")  //
        ("ssl-no-hostname-verification", po::bool_switch(),
         "do not check the broker certificate's host name");
    return d;
}

po::options_description storage_options(bool with_backup_id) {
    po::options_description d("Storage", 100, 50);
    d.add_options()("path,p", po::value<std::string>()->value_name("URL"),
                    "where backups live: DIR, file:///DIR, "
                    "s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true or "
                    "az://CONTAINER/PREFIX?account=ACCOUNT&endpoint=URL");
    if (with_backup_id)
        d.add_options()("backup-id,b", po::value<std::string>()->value_name("ID"),
                        "the backup's name");
    return d;
}

po::options_description engine_options() {
    po::options_description d("Engine", 100, 50);
    d.add_options()  //
        ("memory-budget", po::value<std::string>()->value_name("SIZE"),
         "bytes all pipelines may buffer together (default 512MiB)")  //
        ("shards", po::value<std::string>()->value_name("N"),
         "worker threads (default: one per core)")  //
        ("retry-deadline-secs", po::value<std::string>()->value_name("N"),
         "how long one Kafka or storage operation retries through an outage before the run "
         "fails (default 300 for a continuous backup, else 60)")  //
        ("metrics-address", po::value<std::string>()->value_name("[HOST:]PORT"),
         "serve Prometheus /metrics and /health here (HOST defaults to 127.0.0.1; 0.0.0.0 "
         "serves every interface)");
    return d;
}

namespace {

// Boost takes "-20" for an option, so "--shift-by -20" would fail; join a
// negative number to the flag before it ("--shift-by=-20"). No flag starts
// with a digit, so nothing else changes meaning.
args join_negative_numbers(const args& a) {
    args out;
    for (std::size_t i = 0; i < a.size(); ++i) {
        bool negative_next = i + 1 < a.size() && a[i + 1].size() > 1 && a[i + 1][0] == '-' &&
                             std::isdigit(static_cast<unsigned char>(a[i + 1][1]));
        if (a[i].rfind("--", 0) == 0 && a[i].find('=') == std::string::npos && negative_next) {
            out.push_back(a[i] + "=" + a[i + 1]);
            ++i;
        } else {
            out.push_back(a[i]);
        }
    }
    return out;
}

// OSO's CLI takes `--verify true` and `-vv`: a switch followed by true/false
// keeps (true) or drops (false) the switch, and a repeated -v counts once.
args normalise_switches(const args& a, const po::options_description& desc) {
    args out;
    bool verbose = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string& s = a[i];
        if (s == "-v" || s == "--verbose" ||
            (s.size() > 2 && s.find_first_not_of('v', 1) == std::string::npos && s[0] == '-')) {
            if (!verbose) out.push_back("--verbose");
            verbose = true;
            continue;
        }
        bool is_switch = false;
        if (s.rfind("--", 0) == 0 && s.find('=') == std::string::npos) {
            const auto* opt = desc.find_nothrow(s.substr(2), false);
            is_switch = opt && opt->semantic()->max_tokens() == 0;
        }
        bool has_bool = i + 1 < a.size() && (a[i + 1] == "true" || a[i + 1] == "false");
        if (is_switch && has_bool) {
            if (a[i + 1] == "true") out.push_back(s);
            ++i;
            continue;
        }
        out.push_back(s);
    }
    return out;
}

}  // namespace

po::variables_map parse_flags(const args& a, const po::options_description& desc,
                              const po::positional_options_description* pos) {
    po::positional_options_description none;
    po::variables_map vm;
    try {
        // No guessing: an abbreviated flag must not silently mean another one.
        auto style =
            po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        auto parsed = po::command_line_parser(join_negative_numbers(normalise_switches(a, desc)))
                          .options(desc)
                          .positional(pos ? *pos : none)
                          .style(style)
                          .run();
        po::store(parsed, vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(e.what());
    }
    return vm;
}

std::optional<std::string> text_flag(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
}

bool switch_flag(const po::variables_map& vm, const char* name) {
    return vm.count(name) && vm[name].as<bool>();
}

std::vector<std::string> list_flag(const po::variables_map& vm, const char* name) {
    std::vector<std::string> out;
    if (!vm.count(name)) return out;
    for (const auto& value : vm[name].as<std::vector<std::string>>()) {
        std::size_t start = 0;
        while (start <= value.size()) {
            auto comma = value.find(',', start);
            std::string item = value.substr(start, comma - start);
            item.erase(0, item.find_first_not_of(" \t"));
            item.erase(item.find_last_not_of(" \t") + 1);
            if (!item.empty()) out.push_back(item);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return out;
}

std::optional<std::uint64_t> size_flag(const po::variables_map& vm, const char* name) {
    auto v = text_flag(vm, name);
    if (!v) return std::nullopt;
    try {
        return runtime::parse_bytes(*v);
    } catch (const std::logic_error& e) {  // invalid_argument, or out_of_range (too large)
        throw usage_error(std::string("--") + name + ": " + e.what());
    }
}

std::optional<std::int64_t> duration_ms_flag(const po::variables_map& vm, const char* name) {
    auto v = text_flag(vm, name);
    if (!v) return std::nullopt;
    try {
        return runtime::parse_duration(*v).count();
    } catch (const std::logic_error& e) {  // invalid_argument, or out_of_range (too large)
        throw usage_error(std::string("--") + name + ": " + e.what());
    }
}

std::optional<std::int64_t> time_flag(const po::variables_map& vm, const char* name) {
    auto v = text_flag(vm, name);
    if (!v) return std::nullopt;
    try {
        return kc::parse_timestamp_ms(*v);
    } catch (const std::invalid_argument& e) {
        throw usage_error(std::string("--") + name + ": " + e.what());
    }
}

std::optional<std::int64_t> int_flag(const po::variables_map& vm, const char* name,
                                     std::int64_t min, std::int64_t max) {
    auto v = text_flag(vm, name);
    if (!v) return std::nullopt;
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    bool whole = p == v->data() + v->size() && !v->empty();
    if ((ec != std::errc() && ec != std::errc::result_out_of_range) || !whole)
        throw usage_error(std::string("--") + name + ": " + runtime::echo(*v) +
                          " is not a whole number");
    if (ec == std::errc::result_out_of_range || out < min || out > max)
        throw usage_error(std::string("--") + name + ": " + runtime::echo(*v) + " is outside " +
                          std::to_string(min) + ".." + std::to_string(max));
    return out;
}

}  // namespace kb::cli
