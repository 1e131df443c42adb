// `kafka-backup backup`: the request as engine settings, signal handling,
// progress and the end-of-run summary (text or JSON on stdout).
#include "cli.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

#include <kb/backup/backup.hpp>
#include <kb/config/config.hpp>
#include <kb/config/topic_selector.hpp>
#include <kb/connect/kafka.hpp>
#include <kb/connect/storage.hpp>
#include <kb/runtime/log.hpp>
#include <kb/runtime/progress.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <pthread.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

namespace kb::cli {
namespace {

kb::backup::backup_settings settings_of(const backup_request& req) {
    const auto& c = req.cfg;
    kb::backup::backup_settings s;
    s.backup_id = c.backup_id;
    s.kafka = kb::connect::client_config(*c.source, kb::connect::client_role::backup);
    s.storage = kb::connect::to_location(*c.storage);
    auto deadline = kb::config::retry_deadline(c.engine, c.backup.continuous);
    s.kafka.retry.deadline = deadline;
    // A continuous backup started while the cluster is down (a rolling restart, a
    // cluster still booting) waits for it as it would mid-run.
    s.kafka.patient_first_contact = c.backup.continuous;
    s.storage.retry_deadline = deadline;
    s.include_internal = c.backup.include_internal_topics;
    s.topics = kb::config::topic_selector(c.source->topics, s.include_internal, "source.topics");
    s.literal_topics = s.topics.literal_includes();
    s.options = c.backup;
    s.memory_budget = c.engine.memory_budget;
    s.shards = c.engine.shards;
    s.part_size = c.storage->part_size;
    s.parts_in_flight = static_cast<int>(c.storage->max_parts_in_flight);
    if (c.backup.fetch_max_bytes)
        s.fetch_max_bytes = static_cast<std::int32_t>(
            std::min<std::uint64_t>(*c.backup.fetch_max_bytes, 256u << 20));
    if (c.metrics && c.metrics->enabled)
        s.metrics =
            kb::backup::metrics_endpoint{c.metrics->bind_address, c.metrics->port, c.metrics->path};
    s.tool_version = version_line();
    return s;
}

// SIGINT/SIGTERM ask the job to stop cleanly: it finishes the segments in hand
// and publishes them. Signals within `signal_grace` of the first count as that
// one: GNU `timeout` signals the process and then its group, so one timeout is
// two SIGTERMs microseconds apart, and quitting on the second lost every segment
// in hand. A signal after the grace period exits at once (SIGKILL always does).
// The signals are blocked in every thread and taken by sigwait() in one watcher.
constexpr std::chrono::seconds signal_grace{2};

class signal_watcher {
  public:
    explicit signal_watcher(kb::backup::backup_job& job) {
        sigemptyset(&set_);
        for (int s : {SIGINT, SIGTERM, SIGUSR2}) sigaddset(&set_, s);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);
        thread_ = std::thread([this, &job] { watch(job); });
    }
    ~signal_watcher() {
        pthread_kill(thread_.native_handle(), SIGUSR2);
        thread_.join();
    }

  private:
    void watch(kb::backup::backup_job& job) {
        std::optional<std::chrono::steady_clock::time_point> first;
        for (;;) {
            int sig = 0;
            if (sigwait(&set_, &sig) != 0 || sig == SIGUSR2) return;
            const auto now = std::chrono::steady_clock::now();
            if (first && now - *first >= signal_grace) std::_Exit(exit_code::interrupted);
            if (first) continue;  // the same stop, delivered twice
            first = now;
            kb::log::warn("backup",
                          "stopping: finishing the segments in hand so the backup can "
                          "be resumed (signal again after {}s to quit at once)",
                          signal_grace.count());
            job.request_stop();
        }
    }
    sigset_t set_{};
    std::thread thread_;
};

double ratio(const kb::backup::backup_summary& s) {
    return s.stored_bytes ? double(s.raw_bytes) / double(s.stored_bytes) : 0.0;
}

double mb_per_s(const kb::backup::backup_summary& s) {
    return s.elapsed.count() > 0 ? double(s.raw_bytes) / 1e6 / s.elapsed.count() : 0.0;
}

std::string state_of(const kb::backup::backup_summary& s) {
    if (s.complete) return "complete";
    return s.interrupted ? "interrupted (resumable)" : "stopped (resumable)";
}

void print_text(const kb::backup::backup_summary& s) {
    std::cout << fmt::format("backup '{}' {}{}\n", s.backup_id, state_of(s),
                             s.resumed ? ", resumed" : "")
              << fmt::format("  location:    {}\n", s.location)
              << fmt::format("  topics:      {} ({} partitions)\n", s.topics.size(), s.partitions)
              << fmt::format("  records:     {}\n", s.records)
              << fmt::format("  bytes:       {} raw, {} stored (ratio {:.2f}), {} segments\n",
                             runtime::format_bytes(double(s.raw_bytes)),
                             runtime::format_bytes(double(s.stored_bytes)), ratio(s), s.segments)
              << fmt::format("  throughput:  {:.1f} MB/s over {:.1f} s\n", mb_per_s(s),
                             s.elapsed.count());
    if (s.retention_gaps) std::cout << fmt::format("  retention gaps: {}\n", s.retention_gaps);
    if (s.pruned_segments)
        std::cout << fmt::format("  pruned:      {} segment(s) (backup.retention)\n",
                                 s.pruned_segments);
    for (auto& t : s.topics)
        std::cout << fmt::format("  - {}: {} partitions, {} records, {} -> {}\n", t.name,
                                 t.partitions, t.records,
                                 runtime::format_bytes(double(t.raw_bytes)),
                                 runtime::format_bytes(double(t.stored_bytes)));
}

void print_json(const kb::backup::backup_summary& s) {
    nlohmann::json j{{"backup_id", s.backup_id},
                     {"status", s.complete      ? "complete"
                                : s.interrupted ? "interrupted"
                                                : "stopped"},
                     {"resumed", s.resumed},
                     {"location", s.location},
                     {"cluster_id", s.cluster_id},
                     {"partitions", s.partitions},
                     {"records", s.records},
                     {"raw_bytes", s.raw_bytes},
                     {"stored_bytes", s.stored_bytes},
                     {"compression_ratio", ratio(s)},
                     {"segments", s.segments},
                     {"retention_gaps", s.retention_gaps},
                     {"pruned_segments", s.pruned_segments},
                     {"consumer_groups", s.consumer_groups},
                     {"manifest_sequence", s.manifest_sequence},
                     {"elapsed_seconds", s.elapsed.count()},
                     {"throughput_mb_per_s", mb_per_s(s)},
                     {"topics", nlohmann::json::array()}};
    for (auto& t : s.topics)
        j["topics"].push_back({{"name", t.name},
                               {"partitions", t.partitions},
                               {"records", t.records},
                               {"raw_bytes", t.raw_bytes},
                               {"stored_bytes", t.stored_bytes},
                               {"segments", t.segments}});
    std::cout << j.dump(2) << std::endl;
}

}  // namespace

int run_backup(const backup_request& req) {
    try {
        auto settings = settings_of(req);
        std::optional<runtime::progress_reporter> progress;
        if (req.progress && runtime::progress_reporter::stderr_is_tty()) {
            runtime::progress_reporter::options po;
            po.label = "backup " + settings.backup_id;
            po.tty = true;
            progress.emplace(po);
            settings.progress = &*progress;
        }
        kb::backup::backup_job job(std::move(settings));
        kb::backup::backup_summary summary;
        {
            signal_watcher signals(job);
            summary = job.run();
        }
        if (progress) progress->finish();
        if (req.output == output_format::json)
            print_json(summary);
        else
            print_text(summary);
        return summary.interrupted ? exit_code::interrupted : exit_code::ok;
    } catch (...) {
        return report_failure(std::current_exception(), req.command);
    }
}

}  // namespace kb::cli
