// Building a pipeline from the `plugins:` entries (all or nothing) and running
// messages and session events through it.
#include "plugin_host/pipeline.h"

#include <filesystem>
#include <set>

#include "metrics/daemon_metrics.h"
#include "plugin_host/plugin_instance.h"
#include "plugin_host/plugin_library.h"

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
                                                                     const std::string& plugin_dir, ReplyFn reply,
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
        if (before != nullptr && (before->library().path() != path || &before->library().api() != &library->api()))
            before = nullptr;

        auto created = PluginInstance::create(std::move(library), entry, reply, before);
        if (auto* cause = std::get_if<std::string>(&created)) return prefix + "init failed: " + *cause;
        auto instance = std::get<std::unique_ptr<PluginInstance>>(std::move(created));
        if (instance->observesVerdicts()) pipeline->observers_.push_back(instance.get());
        pipeline->instances_.push_back(std::move(instance));
    }
    return pipeline;
}

// Placeholders until the admission and control hooks are wired (issue 14).
Admission Pipeline::onConnect(const ConnectEvent&) { return {}; }
Admission Pipeline::onJoinRequest(const JoinRequestEvent&) { return {}; }
bool Pipeline::hasConnectHooks() const { return false; }
bool Pipeline::hasJoinRequestHooks() const { return false; }
ControlAnswer Pipeline::control(std::string_view plugin, std::string_view, std::string_view) {
    return {.ok = false, .json = {}, .error = "plugin '" + std::string(plugin) + "' has no commands"};
}

Verdict Pipeline::onMessage(MessageContext& msg, std::string_view /*after*/) {
    Verdict verdict;
    if (instances_.empty()) return verdict;
    auto clock = PluginInstance::Clock::now();
    for (std::size_t i = 0; i < instances_.size(); ++i) {
        verdict = instances_[i]->onMessage(msg, clock);
        if (verdict.kind != VerdictKind::Continue) break;
    }
    for (PluginInstance* observer : observers_) observer->onVerdict(msg, verdict, clock);
    return verdict;
}

void Pipeline::attachMetrics(metrics::DaemonMetrics& metrics) {
    for (const auto& instance : instances_) {
        const std::string& name = instance->name();
        instance->attachMetrics({&metrics.plugin_verdicts.with({name, "continue"}),
                                 &metrics.plugin_verdicts.with({name, "drop"}),
                                 &metrics.plugin_verdicts.with({name, "reject"}),
                                 &metrics.plugin_hook_seconds.with({name, "on_message"})});
    }
}

void Pipeline::onJoin(const SessionEvent& event) {
    for (const auto& instance : instances_) instance->onJoin(event);
}

void Pipeline::onLeave(const SessionEvent& event) {
    for (const auto& instance : instances_) instance->onLeave(event);
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

const PluginInstance* Pipeline::find(std::string_view name) const {
    for (const auto& instance : instances_)
        if (instance->name() == name) return instance.get();
    return nullptr;
}

// Last in, first out: a plugin is shut down before the ones listed above it.
void Pipeline::clear() {
    observers_.clear();
    while (!instances_.empty()) instances_.pop_back();
}

Pipeline::Pipeline(Private) {}

Pipeline::~Pipeline() { clear(); }

}  // namespace chatd::plugin_host
