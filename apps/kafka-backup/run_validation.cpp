// validation run and evidence-*: wiring to kb_validation.
#include "cli.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

#include <kb/connect/kafka.hpp>
#include <kb/connect/storage.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/run_blocking.hpp>
#include <kb/validation/evidence.hpp>
#include <kb/validation/signing.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace kb::cli {
namespace {

namespace kv = kb::validation;
using boost::asio::awaitable;
using action = validation_request::action;

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw kb::error(error_class::not_found, "NoSuchFile",
                        std::string("cannot read ") + what + " '" + path + "'");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush())
        throw kb::error(error_class::fatal, "WriteFailed", "cannot write '" + path + "'");
}

// Now, to the millisecond: when the evidence is made and where it is filed.
auto now_ms() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
}

// Uploads the report (and its signature) and says where they went.
void store_evidence(boost::asio::io_context& io, kb::storage::backend& b,
                    const kb::config::validation_config& cfg, const std::string& id,
                    const std::string& bytes) {
    auto now = now_ms();
    auto key = kv::evidence_key(cfg.evidence_prefix, id, now, "json");
    kb::runtime::run_blocking(io, kv::put_text(b, key, bytes));
    std::cout << "\nJSON evidence uploaded: " << key << "\n";
    if (!cfg.signing.enabled) return;
    auto pem = read_file(cfg.signing.private_key_path, "signing key");
    auto sig = kv::to_sig_file(kv::sign_report(bytes, pem, id));
    auto sig_key = kv::evidence_key(cfg.evidence_prefix, id, now, "sig");
    kb::runtime::run_blocking(io, kv::put_text(b, sig_key, sig));
    std::cout << "Signature uploaded: " << sig_key << "\n";
}

int validation_run(const kb::config::validation_config& cfg) {
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), cfg.storage);
    auto m = kb::runtime::run_blocking(io, kv::load_checked_backup(*b, cfg.backup_id));
    auto summary = kb::runtime::run_blocking(
        io,
        kb::connect::with_client(io.get_executor(), cfg.target, kb::connect::client_role::offsets,
                                 [&](auto& c) { return kv::run_checks(c, cfg, m.manifest); }));
    std::cout << kv::results_text(summary);
    auto id = kv::new_report_id();
    kv::evidence_inputs in{id, &cfg, &m.manifest, m.sha256, &summary, version_line(), now_ms()};
    std::cout << "\nReport ID: " << id << "\n";
    store_evidence(io, *b, cfg, id, kv::report_bytes(kv::build_report(in)));
    std::cout << std::flush;
    return summary.overall() == kv::outcome::failed ? exit_code::failed : exit_code::ok;
}

int evidence_list(const validation_request& req) {
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), *req.storage);
    auto keys = kb::runtime::run_blocking(io, kv::list_evidence(*b, req.prefix));
    if (keys.empty()) {
        std::cout << "No evidence reports found.\n";
        return exit_code::ok;
    }
    std::cout << "Evidence reports (" << keys.size() << " found):\n";
    for (std::size_t i = 0; i < keys.size() && i < req.limit; ++i)
        std::cout << "  " << keys[i] << "\n";
    return exit_code::ok;
}

int evidence_get(const validation_request& req) {
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), *req.storage);
    auto key = kb::runtime::run_blocking(
        io, kv::find_evidence(*b, req.prefix, req.report_id, req.extension));
    auto body = kb::runtime::run_blocking(io, b->get(key));
    write_file(req.output, std::string(body.as_string_view()));
    std::cout << "Evidence report saved to: " << req.output << "\n";
    return exit_code::ok;
}

int evidence_verify(const validation_request& req) {
    auto report = read_file(req.report_file, "report");
    auto bundle = kv::parse_sig_file(read_file(req.signature_file, "signature file"));
    std::cout << "Report ID: " << bundle.report_id << "\nAlgorithm: " << bundle.algorithm
              << "\nReport SHA-256: " << bundle.report_sha256 << "\n";
    auto actual = kv::sha256_hex(report);
    if (actual != bundle.report_sha256) {
        std::cout << std::flush;
        std::cerr << "FAILED: Report SHA-256 mismatch\n  Expected: " << bundle.report_sha256
                  << "\n  Actual:   " << actual << std::endl;
        return exit_code::failed;
    }
    std::cout << "SHA-256 checksum: VALID\n";
    if (req.public_key) {
        auto pem = read_file(*req.public_key, "public key");
        if (!kv::verify_signature(report, bundle, pem)) {
            std::cout << std::flush;
            std::cerr << "FAILED: ECDSA signature is INVALID" << std::endl;
            return exit_code::failed;
        }
        std::cout << "ECDSA signature: VALID\n";
    } else {
        std::cout << "(No public key provided \u2014 skipping signature verification)\n";
    }
    std::cout << "\nEvidence report integrity: VERIFIED\n";
    return exit_code::ok;
}

}  // namespace

int run_validation(const validation_request& req) {
    switch (req.what) {
        case action::run:
            return validation_run(*req.cfg);
        case action::evidence_list:
            return evidence_list(req);
        case action::evidence_get:
            return evidence_get(req);
        default:
            return evidence_verify(req);
    }
}

}  // namespace kb::cli
