// Turning any failure into one line on stderr and an exit code.
#include "cli.hpp"
#include "exit_codes.hpp"
#include "options.hpp"

#include <kb/config/error.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/retry.hpp>

#include <iostream>
#include <map>

namespace kb::cli {
namespace {

// The flag that can supply a config key, for "missing ..." advice.
std::optional<std::string> flag_for(const std::string& key) {
    static const std::map<std::string, std::string> flags = {
        {"backup_id", "--backup-id"},
        {"storage", "--path"},
        {"storage.bucket", "--path"},
        {"storage.path", "--path"},
        {"bootstrap_servers", "--bootstrap-servers"},
        {"security.security_protocol", "--security-protocol"},
        {"security.sasl_mechanism", "--sasl-mechanism"},
        {"security.sasl_username", "--sasl-username"},
        {"security.sasl_password", "--sasl-password"},
        {"security.ssl_key_location", "--ssl-key-location"},
        {"security.ssl_certificate_location", "--ssl-certificate-location"},
    };
    std::string k = key;
    for (const char* section : {"source.", "target.", "cluster."})
        if (k.rfind(section, 0) == 0) k = k.substr(std::string(section).size());
    if (k == "source" || k == "target" || k == "cluster") k = "bootstrap_servers";
    auto it = flags.find(k);
    if (it == flags.end()) return std::nullopt;
    return it->second;
}

int report_config(const kb::config::config_error& e) {
    auto flag = flag_for(e.key());
    bool from_flags = e.message().rfind(flags_origin, 0) == 0;
    if (e.kind() == kb::config::config_errc::missing_key && flag && from_flags) {
        print_error("missing " + *flag,
                    "give " + *flag + ", or '" + e.key() + "' in a --config file");
    } else if (e.kind() == kb::config::config_errc::missing_key && flag) {
        print_error(e.message(), (e.hint().empty() ? "" : e.hint() + "; ") + "or pass " + *flag);
    } else {
        print_error(e.message(), e.hint());
    }
    return exit_code::usage;
}

std::string advice_for_condition(const kb::error& e);

// What to do next, for failures whose message does not already say it.
std::string advice_for(const kb::error& e) {
    auto advice = advice_for_condition(e);
    if (advice.empty() && dynamic_cast<const kb::retries_exhausted*>(&e))
        return "the outage outlasted the retry deadline: raise engine.retry_deadline_secs "
               "(--retry-deadline-secs) to ride out longer ones; a re-run resumes";
    return advice;
}

std::string advice_for_reason(kb::reason why) {
    using kb::reason;
    switch (why) {
        case reason::topic_unknown:
            return "check the names given to --topics or source.topics.include; a glob such as "
                   "'orders*' may match nothing, a plain name must exist";
        case reason::broker_unreachable:
            return "check --bootstrap-servers (or bootstrap_servers in the config) and that the "
                   "brokers are up; a re-run resumes";
        case reason::store_unreachable:
            // The backend's message names its endpoint and the settings it comes from.
            return "check that the object store named above is up and its endpoint is right; "
                   "a re-run resumes";
        case reason::disk_full:
            return "free space on the backup volume, then re-run with the same backup id to "
                   "resume";
        case reason::sasl_failed:
            return "check the SASL username and password: --sasl-username and "
                   "--sasl-password, or source.security (target.security for a restore)";
        default:
            return "";
    }
}

std::string advice_for_condition(const kb::error& e) {
    if (auto advice = advice_for_reason(e.why()); !advice.empty()) return advice;
    // The S3 messages for these already name the setting to fix.
    if (e.why() == kb::reason::bucket_missing || e.why() == kb::reason::credentials_rejected)
        return "";
    switch (e.cls()) {
        case kb::error_class::auth:
            return "check the credentials and permissions";
        case kb::error_class::not_found:
            return "check the name; 'kafka-backup list' shows backups";
        case kb::error_class::retryable:
            return "it may be transient: re-run to resume";
        default:
            return "";
    }
}

}  // namespace

namespace {

// The backstop that keeps an error on one short line whatever it quotes (values
// are already cut where they are echoed): control characters escaped, at most
// `limit` bytes.
std::string one_line(const std::string& text, std::size_t limit) {
    std::string out;
    std::size_t i = 0;
    for (; i < text.size() && out.size() < limit; ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f)
            out += c == '\n' ? "\\n" : c == '\t' ? "\\t" : "?";
        else
            out += text[i];
    }
    if (i == text.size()) return out;
    auto continuation = [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) == 0x80; };
    if (continuation(text[i])) {  // cut inside a UTF-8 character: drop its start
        while (!out.empty() && continuation(out.back())) out.pop_back();
        if (!out.empty()) out.pop_back();
    }
    return out + "\u2026";
}

}  // namespace

void print_error(const std::string& what, const std::string& todo) {
    std::cerr << "kafka-backup: error: " << one_line(what, 2000);
    if (!todo.empty()) std::cerr << " (" << one_line(todo, 1000) << ")";
    std::cerr << std::endl;
}

int report_failure(const std::exception_ptr& e, const std::string& cmd) {
    if (kb::is_cancellation(e)) {
        std::cerr << "kafka-backup: interrupted" << std::endl;
        return exit_code::interrupted;
    }
    try {
        std::rethrow_exception(e);
    } catch (const usage_error& u) {
        print_error(u.what(),
                    u.hint().empty() ? "see 'kafka-backup " + cmd + " --help'" : u.hint());
        return exit_code::usage;
    } catch (const kb::config::config_error& c) {
        return report_config(c);
    } catch (const kb::error& k) {
        print_error(k.what(), advice_for(k));
        return exit_code::failed;
    } catch (const std::exception& x) {
        print_error(x.what(), "");
        return exit_code::failed;
    } catch (...) {
        print_error("unknown failure", "");
        return exit_code::failed;
    }
}

}  // namespace kb::cli
