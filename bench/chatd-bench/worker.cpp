#include "worker.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "proc_stats.h"

namespace chatd::bench {

namespace {
constexpr int kMaxEvents = 512;
constexpr int kPollMs = 20;  // phase changes and deadlines are noticed within this
constexpr std::size_t kReadBuffer = 256 * 1024;

int checked(int fd, const char* what) {
    if (fd < 0) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
    return fd;
}
}  // namespace

Worker::Worker(RunControl& control, unsigned index, unsigned thread_count)
    : control_(control),
      options_(control.options),
      index_(index),
      read_buffer_(kReadBuffer, '\0'),
      random_(0x9E3779B97F4A7C15ull * (index + 1) ^ static_cast<std::uint64_t>(monotonicNs())),
      book_(options_.mode == Mode::Idle || options_.mode == Mode::Connect ? 0 : options_.senders) {
    epoll_ = checked(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
    wake_ = checked(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd");
    timer_ = checked(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), "timerfd_create");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kWakeTag;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event);
    event.data.u64 = kTimerTag;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &event);

    const bool sending = options_.mode == Mode::Broadcast || options_.mode == Mode::Bigroom;
    const std::uint32_t churners_from = options_.clients, flooders_from = churners_from + options_.churners;
    for (std::uint32_t i = index; i < totalClients(options_); i += thread_count) {
        Client client;
        client.index = i;
        if (i >= flooders_from) {
            client.role = Client::Role::Flooder;
            client.sender = static_cast<std::int32_t>(options_.senders + i - flooders_from);  // outside the book
        } else if (i >= churners_from) {
            client.role = Client::Role::Churner;
        } else if (sending && i < options_.senders) {
            client.sender = static_cast<std::int32_t>(i);
        }
        clients_.push_back(std::move(client));
    }
    for (Client& client : clients_) {
        if (client.index == 0) warmup_sender_ = &client;
        if (client.role == Client::Role::Flooder) flooders_.push_back(&client);
    }
    max_connecting_ = std::max<std::size_t>(1, options_.connect_concurrency / thread_count);
    if (options_.rate > 0) period_ns_ = static_cast<std::int64_t>(1e9 / options_.rate);
    if (options_.churn_rate > 0) churn_period_ns_ = static_cast<std::int64_t>(1e9 * options_.churners / options_.churn_rate);
}

Worker::~Worker() {
    join();
    for (Client& client : clients_)
        if (client.fd >= 0) ::close(client.fd);
    ::close(timer_);
    ::close(wake_);
    ::close(epoll_);
}

void Worker::start() {
    thread_ = std::thread([this] { run(); });
}

void Worker::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(wake_, &one, sizeof one);
}

void Worker::join() {
    if (thread_.joinable()) thread_.join();
}

std::uint64_t Worker::nextRandom() {
    random_ ^= random_ << 13;
    random_ ^= random_ >> 7;
    random_ ^= random_ << 17;
    return random_;
}

void Worker::run() {
    epoll_event events[kMaxEvents];
    while (phase_ != Phase::Done) {
        const int ready = ::epoll_wait(epoll_, events, kMaxEvents, flooders_wrote_all_ ? 0 : kPollMs);
        for (int i = 0; i < std::max(ready, 0); ++i) {
            const std::uint64_t tag = events[i].data.u64;
            if (tag == kWakeTag) {
                std::uint64_t drained;
                [[maybe_unused]] auto ignored = ::read(wake_, &drained, sizeof drained);
            } else if (tag == kTimerTag) {
                onTimer();
            } else {
                Client& client = clients_[tag - kFirstClientTag];
                onEvent(client, events[i].events);
            }
        }
        const std::int64_t now = monotonicNs();
        followPhase(now);
        expireHandshakes(now);
        expireLeaves(now);
        startConnects(now);  // the first connections, and churners coming back
        if (phase_ == Phase::Warmup) sendWarmupIfDue(now);
        flooders_wrote_all_ = phase_ == Phase::Flood && refillFlooders();
        flushDirty();
    }
}

// Acts on a phase change the main thread made.
void Worker::followPhase(std::int64_t now) {
    const Phase wanted = control_.phase.load(std::memory_order_acquire);
    if (wanted == phase_) return;
    const Phase previous = phase_;
    phase_ = wanted;
    const auto sendingPhase = [](Phase p) { return p == Phase::Measure || p == Phase::Flood; };
    if (sendingPhase(previous) && !sendingPhase(phase_)) {
        measure_cpu_s_ = threadCpuSeconds() - measure_cpu_start_;
        measure_wall_s_ = double(now - measure_wall_start_) / 1e9;
        schedule_ = {};
        armTimer();
    }
    if (phase_ == Phase::Measure) {
        measure_cpu_start_ = threadCpuSeconds();
        measure_wall_start_ = now;
        const std::int64_t start_ns = control_.measure_start_ns.load(std::memory_order_acquire);
        startSending(start_ns);
        scheduleChurners(start_ns);
    }
    counters_.following.store(phase_, std::memory_order_release);
}

}  // namespace chatd::bench
