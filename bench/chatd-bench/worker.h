// Worker: one generator thread with its own epoll set and its share of the
// clients (client i belongs to worker i % threads). It connects them, answers
// pings, sends on schedule (open loop, via a timerfd) or on echo (closed loop),
// parses every delivery and records its latency. It follows the phase the
// main thread sets in RunControl; results are read after join().
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "client.h"
#include "frames.h"
#include "histogram.h"
#include "message_book.h"
#include "run_control.h"

namespace chatd::bench {

class Worker {
public:
    Worker(RunControl& control, unsigned index, unsigned thread_count);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start();
    void wake();  // thread-safe: look at the phase now
    void join();
    WorkerCounters& counters() { return counters_; }

    // --- after join() ---
    const Histogram& latency() const { return latency_; }
    const Histogram& floodLatency() const { return flood_latency_; }
    const Histogram& joinLatency() const { return join_latency_; }
    const Histogram& rejoinLatency() const { return rejoin_latency_; }
    const Histogram& flooderLatency() const { return flooder_latency_; }
    const MessageBook& book() const { return book_; }
    const std::map<std::string, std::uint64_t>& failures() const { return failures_; }
    const std::map<std::string, std::uint64_t>& losses() const { return losses_; }
    std::uint64_t otherFrames() const { return other_frames_; }
    double measureCpuS() const { return measure_cpu_s_; }   // thread CPU while measuring
    double measureWallS() const { return measure_wall_s_; }

private:
    // epoll tags: the eventfd, the timerfd, then client i as kFirstClientTag + i.
    static constexpr std::uint64_t kWakeTag = 0;
    static constexpr std::uint64_t kTimerTag = 1;
    static constexpr std::uint64_t kFirstClientTag = 2;

    void run();
    std::uint64_t nextRandom();  // xorshift64: mask and handshake keys
    void followPhase(std::int64_t now);

    // worker_connect.cpp
    const sockaddr_in& targetOf(const Client& client) const;
    void startConnects(std::int64_t now);
    void beginHandshake(Client& client);
    void onOpened(Client& client);
    void sendJoin(Client& client);
    void failClient(Client& client, const std::string& cause);
    void expireHandshakes(std::int64_t now);

    // worker_io.cpp
    void onEvent(Client& client, std::uint32_t events);
    void readFrom(Client& client);
    void parseHandshake(Client& client);
    std::size_t parseFrames(Client& client, std::string_view data, std::int64_t now);
    bool onFrame(Client& client, const ServerFrame& frame, std::int64_t now);
    void queueFrame(Client& client, Opcode opcode, std::string_view payload);
    void flushDirty();
    void loseClient(Client& client, const std::string& cause);
    void closeSocket(Client& client);

    // worker_traffic.cpp
    void onMessage(Client& client, std::string_view payload, std::int64_t now);
    void onStamped(Client& client, const Stamp& stamp, std::int64_t now);
    void sendStamped(Client& client, std::int64_t intended_ns);
    void startSending(std::int64_t start_ns);
    void onTimer();
    void armTimer();
    void sendWarmupIfDue(std::int64_t now);
    void onWelcome(Client& client, std::int64_t now);

    // worker_churn.cpp: churners leaving and coming back, flooders flooding
    void scheduleChurners(std::int64_t start_ns);
    void churnTurn(Client& client);
    void finishLeave(Client& client);
    void expireLeaves(std::int64_t now);
    bool refillFlooders();  // true when a flooder's socket took everything

    RunControl& control_;
    const Options& options_;
    unsigned index_;
    WorkerCounters counters_;
    std::thread thread_;
    int epoll_ = -1;
    int wake_ = -1;
    int timer_ = -1;

    std::vector<Client> clients_;
    std::size_t next_to_connect_ = 0;
    std::size_t connecting_ = 0;
    std::size_t max_connecting_ = 1;
    std::deque<Client*> handshakes_;  // in start order = deadline order
    std::deque<Client*> reconnects_;  // churners that left, to connect again
    std::deque<Client*> leaving_;     // churners closing, in deadline order
    std::vector<Client*> flooders_;
    std::vector<Client*> dirty_;
    std::string read_buffer_;
    std::string text_;     // scratch: a message's text
    std::string payload_;  // scratch: JSON request around it
    std::uint64_t random_;  // xorshift state (mask keys, handshake keys)

    Phase phase_ = Phase::Connect;
    // Open loop: (due time, client) of every local sender, earliest first.
    using Due = std::pair<std::int64_t, Client*>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> schedule_;
    std::int64_t period_ns_ = 0;
    std::int64_t churn_period_ns_ = 0;  // between two turns of one churner
    bool flooders_wrote_all_ = false;   // poll again at once: their sockets take more
    std::int64_t next_warmup_ns_ = 0;
    Client* warmup_sender_ = nullptr;

    Histogram latency_, flood_latency_, join_latency_, rejoin_latency_, flooder_latency_;
    MessageBook book_;
    std::map<std::string, std::uint64_t> failures_;
    std::map<std::string, std::uint64_t> losses_;
    std::uint64_t other_frames_ = 0;
    double measure_cpu_start_ = 0;
    std::int64_t measure_wall_start_ = 0;
    double measure_cpu_s_ = 0;
    double measure_wall_s_ = 0;
};

}  // namespace chatd::bench
