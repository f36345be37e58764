// LoadRun: the generator threads of one run and the main thread's view of
// them: start, move the phase forward, wait for barriers (every client
// connected, joined, warm), sum the live counters, and merge results after.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "histogram.h"
#include "message_book.h"
#include "run_control.h"
#include "worker.h"

namespace chatd::bench {

// A run that cannot go on (connections failed, a barrier timed out): exit 1.
struct RunError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Totals {
    std::uint64_t connected = 0, failed = 0, open = 0, lost = 0, joined = 0, warm = 0;
    std::uint64_t sent = 0, delivered = 0, delivered_in_window = 0;
    std::uint64_t lost_members = 0, lost_unwelcomed = 0, presence = 0, errors = 0;
    std::uint64_t churn_leaves = 0, churn_joins = 0, churn_skipped = 0, flood_sent = 0, flood_delivered = 0;
    std::int64_t last_welcome_ns = 0;  // the latest first welcome of any client
};

class LoadRun {
public:
    explicit LoadRun(const Options& options);
    ~LoadRun();

    unsigned threadCount() const { return static_cast<unsigned>(workers_.size()); }
    void start();
    void setPhase(Phase phase);
    void setMeasureStart(std::int64_t start_ns) { control_.measure_start_ns.store(start_ns); }
    Totals totals() const;

    // Polls `done` every 20 ms, calling `progress` about every 250 ms, until it
    // holds or `deadline` passes; returns whether it holds.
    bool waitUntil(const std::function<bool(const Totals&)>& done, std::chrono::steady_clock::time_point deadline,
                   const std::function<void(const Totals&)>& progress);

    // Connect phase and barriers shared by every mode; throw RunError on failure.
    void connectAll(const std::function<void(const Totals&)>& progress);
    void warmUp(const std::function<void(const Totals&)>& progress);

    // Ends the threads (phase Done) and merges their results.
    void finish();
    void setFloodStart(std::int64_t start_ns) { control_.flood_start_ns.store(start_ns); }
    const Histogram& latency() const { return latency_; }
    const Histogram& floodLatency() const { return flood_latency_; }  // chat messages intended during the flood
    const Histogram& joinLatency() const { return join_latency_; }
    const Histogram& rejoinLatency() const { return rejoin_latency_; }
    const Histogram& flooderLatency() const { return flooder_latency_; }
    const MessageBook& book() const { return book_; }
    const std::map<std::string, std::uint64_t>& failures() const { return failures_; }
    const std::map<std::string, std::uint64_t>& losses() const { return losses_; }
    std::uint64_t otherFrames() const { return other_frames_; }
    // Highest share of one core a generator thread used while measuring (0..1).
    double busiestThreadLoad() const { return busiest_load_; }

    static std::string describe(const std::map<std::string, std::uint64_t>& causes);

private:
    Options options_;
    RunControl control_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::chrono::steady_clock::time_point setup_deadline_;
    Histogram latency_, flood_latency_, join_latency_, rejoin_latency_, flooder_latency_;
    MessageBook book_;
    std::map<std::string, std::uint64_t> failures_;
    std::map<std::string, std::uint64_t> losses_;
    std::uint64_t other_frames_ = 0;
    double busiest_load_ = 0;
    bool finished_ = false;
};

}  // namespace chatd::bench
