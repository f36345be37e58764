// The hooks appended in chatd 0.2 of one plugin instance: admission
// (on_connect, on_join_request), on_tick, on_control and on_peer_message, each under the
// instance's lock, with the on_error policy for failed admission hooks.
#include <string>

#include <spdlog/spdlog.h>

#include "chatd/detail/utf8.hpp"
#include "plugin_host/plugin_error_buffer.h"
#include "plugin_host/plugin_instance.h"
#include "util/log_text.h"

namespace chatd::plugin_host {

namespace {

// The refusal's text: the plugin's reason when it is usable, else "refused by <name>".
std::string refusalReason(const chatd_admission& verdict, const std::string& plugin) {
    std::string reason(view(verdict.reason));
    if (reason.empty() || !sdk::detail::isValidUtf8(reason)) reason = "refused by " + plugin;
    return reason;
}

// A refused join's error code: "banned" when the plugin asked for it, else "forbidden".
std::string refusalCode(const chatd_admission& verdict) {
    return view(verdict.code) == "banned" ? "banned" : "forbidden";
}

std::optional<Refusal> asForbidden(std::optional<std::string> reason) {
    if (!reason) return std::nullopt;
    return Refusal{std::move(*reason), "forbidden"};
}

}  // namespace

std::optional<std::string> PluginInstance::admissionFailed(std::string_view hook, std::string_view error) {
    const bool drop = on_error_ == config::OnError::Drop;
    hookFailed(hook, error, drop ? "refused (on_error: drop)" : "admitted (on_error: continue)");
    if (drop) return "refused by " + name();
    return std::nullopt;
}

std::optional<std::string> PluginInstance::onConnect(const ConnectEvent& event) {
    const auto hook = library_->api().on_connect;
    if (hook == nullptr) return std::nullopt;
    Lock lock = lockForHook();
    if (!lock.owns_lock()) return admissionFailed("on_connect", "instance busy");
    auto start = Clock::now();
    const chatd_connect_event ev{
        sizeof(chatd_connect_event), str(event.address), str(event.origin), str(event.path), str(event.mode),
        str(event.claims_json)};
    chatd_admission verdict{sizeof(chatd_admission), CHATD_ADMIT, {}, {}};
    ErrorBuffer error;
    const chatd_status status = hook(instance_, &ev, &verdict, &error.buf);
    std::optional<std::string> refused;
    if (status != CHATD_OK)
        refused = admissionFailed("on_connect", error.text());
    else if (verdict.kind == CHATD_REFUSE)
        refused = refusalReason(verdict, name());
    else if (verdict.kind != CHATD_ADMIT)
        refused = admissionFailed("on_connect", "returned an unknown verdict kind");
    addTime(start);
    return refused;
}

std::optional<Refusal> PluginInstance::onJoinRequest(const JoinRequestEvent& event) {
    const auto hook = library_->api().on_join_request;
    if (hook == nullptr || !covers(event.room)) return std::nullopt;
    Lock lock = lockForHook();
    if (!lock.owns_lock()) return asForbidden(admissionFailed("on_join_request", "instance busy"));
    auto start = Clock::now();
    const chatd_join_request request{
        sizeof(chatd_join_request), event.session_id,      str(event.session), str(event.room), str(event.nick),
        str(event.address),         str(event.claims_json)};
    chatd_admission verdict{sizeof(chatd_admission), CHATD_ADMIT, {}, {}};
    ErrorBuffer error;
    const chatd_status status = hook(instance_, &request, &verdict, &error.buf);
    std::optional<Refusal> refused;
    if (status != CHATD_OK)
        refused = asForbidden(admissionFailed("on_join_request", error.text()));
    else if (verdict.kind == CHATD_REFUSE)
        refused = Refusal{refusalReason(verdict, name()), refusalCode(verdict)};
    else if (verdict.kind != CHATD_ADMIT)
        refused = asForbidden(admissionFailed("on_join_request", "returned an unknown verdict kind"));
    addTime(start);
    return refused;
}

void PluginInstance::onTick() {
    const auto hook = library_->api().on_tick;
    if (hook == nullptr) return;
    std::lock_guard lock(mutex_);
    auto start = Clock::now();
    ticks_.fetch_add(1, std::memory_order_relaxed);
    ErrorBuffer error;
    if (hook(instance_, &error.buf) != CHATD_OK) hookFailed("on_tick", error.text(), "ignored");
    addTime(start);
    stalled_.store(false, std::memory_order_relaxed);  // the hooks may wait again
}

ControlAnswer PluginInstance::control(std::string_view command, std::string_view args_json) {
    const auto hook = library_->api().on_control;
    if (hook == nullptr) return {.ok = false, .json = {}, .error = "plugin '" + name() + "' has no commands"};
    Lock lock(mutex_, std::chrono::seconds(5));
    if (!lock.owns_lock()) {
        busy_.fetch_add(1, std::memory_order_relaxed);
        return {.ok = false, .json = {}, .error = "plugin '" + name() + "' is busy; try again"};
    }
    auto start = Clock::now();
    chatd_control_result result{sizeof(chatd_control_result), {}};
    ErrorBuffer error;
    const chatd_status status = hook(instance_, str(command), str(args_json), &result, &error.buf);
    ControlAnswer answer;
    if (status != CHATD_OK) {
        answer = {.ok = false, .json = {}, .error = std::string(error.text())};
    } else {
        std::string json(view(result.json));
        if (!sdk::detail::isValidUtf8(json))
            answer = {.ok = false, .json = {}, .error = "plugin '" + name() + "' answered invalid UTF-8"};
        else
            answer = {.ok = true, .json = json.empty() ? "null" : std::move(json), .error = {}};
    }
    addTime(start);
    return answer;
}

void PluginInstance::onPeerMessage(std::string_view from_instance, std::string_view payload) {
    const auto hook = library_->api().on_peer_message;
    if (hook == nullptr) return;
    std::lock_guard lock(mutex_);
    auto start = Clock::now();
    ErrorBuffer error;
    if (hook(instance_, str(from_instance), str(payload), &error.buf) != CHATD_OK)
        hookFailed("on_peer_message", error.text(), "ignored");
    addTime(start);
    stalled_.store(false, std::memory_order_relaxed);
}

void PluginInstance::peerMessageDropped() {
    hookFailed("on_peer_message", "delivery queue full", "payload from another instance dropped");
}

}  // namespace chatd::plugin_host
