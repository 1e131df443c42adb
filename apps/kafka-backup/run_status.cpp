// status: wiring to kb_inspect's backup status and live metrics probe.
#include "commands.hpp"
#include "exit_codes.hpp"

#include <kb/connect/storage.hpp>
#include <kb/inspect/status.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/run_blocking.hpp>

#include <unistd.h>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <thread>

namespace kb::cli {
namespace {

namespace ki = kb::inspect;
constexpr std::chrono::milliseconds probe_timeout{5000};

volatile std::sig_atomic_t interrupted = 0;
extern "C" void on_interrupt(int) {
    interrupted = 1;
}

ki::live_status probe(const status_request& req) {
    boost::asio::io_context io;
    return kb::runtime::run_blocking(
        io, ki::probe_live(req.host, req.port, req.metrics_path, probe_timeout));
}

void print_live(const status_request& req, const ki::live_status& s, bool fresh_screen) {
    if (req.format == output_format::json) {
        auto j = ki::to_json(s);
        j["backup_id"] = req.backup_id;
        std::cout << j.dump() << std::endl;
        return;
    }
    if (fresh_screen) std::cout << "\x1B[2J\x1B[H";
    std::cout << "  Backup: " << req.backup_id << "\n" << ki::to_text(s);
    if (req.watch) std::cout << "  Refresh: " << req.interval_secs << "s | Ctrl+C to exit\n";
    std::cout << std::flush;
}

// Sleeps up to `secs`, waking early when interrupted.
void pause(unsigned secs) {
    for (unsigned i = 0; i < secs * 10 && !interrupted; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

// Refreshes until SIGINT/SIGTERM; a lost connection is reported and retried.
int watch(const status_request& req) {
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    const bool tty = ::isatty(STDOUT_FILENO) != 0;
    while (!interrupted) {
        try {
            print_live(req, probe(req), tty && req.format == output_format::text);
        } catch (const kb::error& e) {
            std::cerr << "kafka-backup: connection lost: " << e.what() << "; retrying in "
                      << req.interval_secs << "s" << std::endl;
        }
        pause(req.interval_secs);
    }
    return exit_code::ok;
}

int stored_status(const status_request& req) {
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), *req.storage);
    auto s = kb::runtime::run_blocking(io, ki::read_backup_status(*b, req.backup_id));
    if (req.format == output_format::json)
        std::cout << ki::to_json(s).dump(2) << "\n";
    else
        std::cout << ki::to_text(s);
    return exit_code::ok;
}

}  // namespace

int run_status(const status_request& req) {
    if (!req.live) return stored_status(req);
    if (req.watch) return watch(req);
    print_live(req, probe(req), false);
    return exit_code::ok;
}

}  // namespace kb::cli
