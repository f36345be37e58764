// Building a pipeline from the `plugins:` entries (all or nothing), starting
// its timer and delivery threads, and running messages, session events, admissions and
// control commands through it.
#include "plugin_host/pipeline.h"

#include <filesystem>
#include <set>

#include "metrics/daemon_metrics.h"
#include "plugin_host/plugin_instance.h"
#include "plugin_host/peer_delivery.h"
#include "plugin_host/plugin_library.h"
#include "plugin_host/ticker.h"

namespace chatd::plugin_host {

std::string Pipeline::resolvePath(const config::PluginEntry& entry, const std::string& plugin_dir) {
    namespace fs = std::filesystem;
    const fs::path file = entry.path.empty() ? fs::path(entry.name + ".so") : fs::path(entry.path);
    if (file.is_absolute()) return file.string();
    const fs::path full = fs::path(plugin_dir) / file;
    // A bare file name would make dlopen search the library path: anchor it.
    return full.has_parent_path() ? full.string() : (fs::path(".") / full).string();
}

std::variant<std::shared_ptr<Pipeline>, std::string> Pipeline::build(const std::vector<config::PluginEntry>& entries,
                                                                     const std::string& plugin_dir,
                                                                     const PluginEnvironment& environment,
                                                                     const Pipeline* previous) {
    auto pipeline = std::make_shared<Pipeline>(Private{});
    std::set<std::string, std::less<>> seen;
    for (const config::PluginEntry& entry : entries) {
        const std::string path = resolvePath(entry, plugin_dir);
        const std::string prefix = "plugin '" + entry.name + "' (" + path + "): ";
        if (entry.name.empty()) return "plugin entry with an empty name (" + path + ")";
        if (!seen.insert(entry.name).second) return prefix + "listed twice; give each entry its own name";

        auto opened = PluginLibrary::open(path);
        if (auto* cause = std::get_if<std::string>(&opened)) return prefix + *cause;
        auto library = std::get<std::shared_ptr<PluginLibrary>>(std::move(opened));

        // Hand over from the running instance only if it is the same code.
        const PluginInstance* before = previous != nullptr ? previous->find(entry.name) : nullptr;
        if (before != nullptr && (before->library().path() != path || before->library().raw() != library->raw()))
            before = nullptr;

        auto created = PluginInstance::create(std::move(library), entry, environment, before);
        if (auto* cause = std::get_if<std::string>(&created)) return prefix + "init failed: " + *cause;
        auto instance = std::get<std::unique_ptr<PluginInstance>>(std::move(created));
        if (instance->observesVerdicts()) pipeline->observers_.push_back(instance.get());
        if (instance->hasConnectHook()) pipeline->connect_hooks_.push_back(instance.get());
        if (instance->hasJoinRequestHook()) pipeline->join_requests_.push_back(instance.get());
        pipeline->instances_.push_back(std::move(instance));
    }
    // A timer thread per ticking instance: a long tick delays only its own instance.
    for (const auto& instance : pipeline->instances_) {
        if (instance->tickInterval().count() > 0)
            pipeline->tickers_.push_back(
                std::make_unique<Ticker>(std::vector<Ticker::Entry>{{instance.get(), instance->tickInterval()}}));
    }
    bool peers = false;
    for (const auto& instance : pipeline->instances_) peers = peers || instance->hasPeerHook();
    if (peers) pipeline->delivery_ = std::make_unique<PeerDelivery>();
    return pipeline;
}

void Pipeline::onPeerMessage(const std::string& from_instance, const std::string& plugin, std::string payload) {
    PluginInstance* instance = find(plugin);
    if (instance == nullptr || !instance->hasPeerHook() || !delivery_) return;
    if (!delivery_->enqueue(instance, from_instance, std::move(payload))) instance->peerMessageDropped();
}

Admission Pipeline::onConnect(const ConnectEvent& event) {
    for (PluginInstance* instance : connect_hooks_)
        if (auto reason = instance->onConnect(event)) return {false, std::move(*reason), instance->name(), "forbidden"};
    return {};
}

Admission Pipeline::onJoinRequest(const JoinRequestEvent& event) {
    for (PluginInstance* instance : join_requests_)
        if (auto refusal = instance->onJoinRequest(event))
            return {false, std::move(refusal->reason), instance->name(), std::move(refusal->code)};
    return {};
}

bool Pipeline::hasConnectHooks() const { return !connect_hooks_.empty(); }
bool Pipeline::hasJoinRequestHooks() const { return !join_requests_.empty(); }

ControlAnswer Pipeline::control(std::string_view plugin, std::string_view command, std::string_view args_json) {
    PluginInstance* instance = find(plugin);
    if (instance == nullptr) return {.ok = false, .json = {}, .error = "no plugin '" + std::string(plugin) + "'"};
    return instance->control(command, args_json);
}

Verdict Pipeline::onMessage(MessageContext& msg, std::string_view after) {
    Verdict verdict;
    if (instances_.empty()) return verdict;
    std::size_t first = 0;
    if (!after.empty()) {  // a plugin's post: the plugins after it (all of them if it is gone)
        for (std::size_t i = 0; i < instances_.size(); ++i)
            if (instances_[i]->name() == after) first = i + 1;
    }
    auto clock = PluginInstance::Clock::now();
    for (std::size_t i = first; i < instances_.size(); ++i) {
        if (!instances_[i]->covers(msg.room)) continue;
        verdict = instances_[i]->onMessage(msg, clock);
        if (verdict.kind != VerdictKind::Continue) break;
    }
    for (PluginInstance* observer : observers_)
        if (observer->covers(msg.room)) observer->onVerdict(msg, verdict, clock);
    return verdict;
}

void Pipeline::attachMetrics(metrics::DaemonMetrics& metrics) {
    for (const auto& instance : instances_) {
        const std::string& name = instance->name();
        instance->attachMetrics(
            {&metrics.plugin_verdicts.with({name, "continue"}), &metrics.plugin_verdicts.with({name, "drop"}),
             &metrics.plugin_verdicts.with({name, "reject"}), &metrics.plugin_hook_seconds.with({name, "on_message"})});
    }
}

void Pipeline::onJoin(const SessionEvent& event) {
    for (const auto& instance : instances_)
        if (instance->covers(event.room)) instance->onJoin(event);
}

void Pipeline::onLeave(const SessionEvent& event) {
    for (const auto& instance : instances_)
        if (instance->covers(event.room)) instance->onLeave(event);
}

std::vector<std::string> Pipeline::names() const {
    std::vector<std::string> out;
    out.reserve(instances_.size());
    for (const auto& instance : instances_) out.push_back(instance->name());
    return out;
}

std::vector<PluginStats> Pipeline::stats() const {
    std::vector<PluginStats> out;
    out.reserve(instances_.size());
    for (const auto& instance : instances_) out.push_back(instance->stats());
    return out;
}

PluginInstance* Pipeline::find(std::string_view name) const {
    for (const auto& instance : instances_)
        if (instance->name() == name) return instance.get();
    return nullptr;
}

// The timer and delivery threads first (no hook may run during a shutdown); then last in,
// first out: a plugin is shut down before the ones listed above it.
void Pipeline::clear() {
    tickers_.clear();
    delivery_.reset();
    observers_.clear();
    connect_hooks_.clear();
    join_requests_.clear();
    while (!instances_.empty()) instances_.pop_back();
}

Pipeline::Pipeline(Private) {}

Pipeline::~Pipeline() { clear(); }

}  // namespace chatd::plugin_host
