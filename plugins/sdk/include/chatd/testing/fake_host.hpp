// A fake chatd for plugin unit tests (header-only, no daemon, no gtest
// dependency): drives a plugin through the same C ABI the daemon uses, either
// a class linked into the test (FakeHost::of<MyPlugin>()) or a built .so
// (FakeHost::load("my_plugin.so")), and records what it did: verdicts,
// replaced text, replies, log lines, and (chatd 0.2) admissions, posts, kicks,
// disconnects, metrics and broadcasts (and injects peers' payloads), with a table of sessions for sessionInfo() and
// findSession().
//
//     auto host = chatd::sdk::testing::FakeHost::of<Hello>();
//     host.init("greeting: hi");
//     auto out = host.send("/hello", {.nick = "bob"});
//     EXPECT_TRUE(out.dropped());
//     EXPECT_EQ(host.replies().at(0).text, "hi, bob!");
//
//     host.tick();                                   // on_tick
//     EXPECT_EQ(host.posts().at(0).room, "lobby");   // what it posted
//     EXPECT_EQ(host.control("now").json, "{\"posted\":1}");
#pragma once

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "chatd/json.hpp"
#include "chatd/plugin.hpp"
#include "chatd/testing/fake_records.hpp"
#include "chatd/testing/fake_services.hpp"

// A 0.2 hook of the plugin's table, or nullptr when the table is too short
// to have it (a plugin built against 0.1) or leaves it NULL.
#define CHATD_FAKE_HOOK(field)                                                                                       \
    (state_->api->struct_size >= offsetof(chatd_plugin_api, field) + sizeof(state_->api->field) ? state_->api->field \
                                                                                                : nullptr)

namespace chatd::sdk::testing {

class FakeHost {
public:
    // A plugin class linked into the test binary.
    template <class T>
    static FakeHost of(std::string instance_name = "test") {
        return FakeHost(pluginTable<T>(), nullptr, std::move(instance_name));
    }

    // A built plugin library, loaded as the daemon does (RTLD_NOW|RTLD_LOCAL).
    static FakeHost load(const std::string& path, std::string instance_name = "test") {
        std::shared_ptr<void> lib(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL), [](void* h) {
            if (h != nullptr) dlclose(h);
        });
        if (!lib) throw std::runtime_error(std::string("cannot load: ") + dlerror());
        auto entry = reinterpret_cast<chatd_plugin_entry_fn>(dlsym(lib.get(), CHATD_PLUGIN_ENTRY_SYMBOL));
        if (entry == nullptr) throw std::runtime_error("not a chatd plugin: " + path);
        const std::uint32_t offered[] = {CHATD_PLUGIN_ABI_VERSION};
        std::uint32_t wanted = 0;
        const chatd_plugin_api* api = entry(offered, 1, &wanted);
        if (api == nullptr) throw std::runtime_error("plugin wants ABI " + std::to_string(wanted));
        return FakeHost(api, std::move(lib), std::move(instance_name));
    }

    FakeHost(const chatd_plugin_api* api, std::shared_ptr<void> library, std::string instance_name)
        : state_(std::make_unique<fake::State>()) {
        state_->api = api;
        state_->library = std::move(library);
        state_->name = std::move(instance_name);
    }
    FakeHost(FakeHost&&) noexcept = default;
    FakeHost& operator=(FakeHost&&) = delete;
    ~FakeHost() {
        if (state_) shutdown();
    }

    // What the next init/reload passes as the daemon's state directory
    // (Host::stateDir()); "" unless set.
    void setStateDir(std::string dir) { state_->state_dir = std::move(dir); }
    // Serve the plugin as a chatd 0.1 daemon would, from the next init/reload
    // on: shorter host table and init arguments, so the 0.2 services are absent.
    void emulateChatd01(bool on = true) { state_->as_chatd_0_1 = on; }
    // Make post() fail from now on (nothing recorded), as the daemon does
    // for an instance that posts faster than it allows.
    void refusePosts(bool on = true) {
        std::lock_guard lock(state_->mutex);
        state_->refuse_posts = on;
    }

    // Make broadcast() fail from now on (false: rooms not shared, Redis down)
    // or succeed again (true, the default); nothing is recorded while failing.
    void setSharing(bool on) {
        std::lock_guard lock(state_->mutex);
        state_->sharing = on;
    }

    // init() with this YAML as the config subtree; the error text on failure.
    std::optional<std::string> tryInit(std::string_view yaml = "") {
        shutdown();
        return create(nullptr, yaml);
    }
    void init(std::string_view yaml = "") {
        if (auto error = tryInit(yaml)) throw std::runtime_error("init failed: " + *error);
    }

    // What a daemon reload does: a new instance from the running one (the
    // reload hook), then the old one is shut down. On failure the old stays.
    std::optional<std::string> tryReload(std::string_view yaml) {
        void* old = state_->instance;
        state_->instance = nullptr;
        if (auto error = create(old, yaml)) {
            state_->instance = old;
            return error;
        }
        if (old != nullptr) state_->api->shutdown(old);
        return std::nullopt;
    }
    void reload(std::string_view yaml) {
        if (auto error = tryReload(yaml)) throw std::runtime_error("reload failed: " + *error);
    }

    // Runs on_message, then on_verdict with this plugin's decision as final.
    Outcome send(std::string_view text, const Sender& from = {}) {
        requireInstance();
        fake::Msg msg{std::string(text), from, true, false};
        chatd_verdict verdict{sizeof(chatd_verdict), CHATD_VERDICT_CONTINUE, {}, {}};
        Outcome out;
        Buffer error;
        if (state_->api->on_message != nullptr &&
            state_->api->on_message(state_->instance, msg.handle(), &verdict, &error.buf) != CHATD_OK) {
            out.failed = true;
            out.error = error.text();
            verdict = chatd_verdict{sizeof(chatd_verdict), CHATD_VERDICT_CONTINUE, {}, {}};
        }
        out.verdict = Verdict{static_cast<VerdictKind>(verdict.kind), std::string(detail::fromC(verdict.code)),
                              std::string(detail::fromC(verdict.reason))};
        msg.writable = false;
        if (state_->api->on_verdict != nullptr) {
            const chatd_verdict final_verdict{sizeof(chatd_verdict), verdict.kind, detail::toC(out.verdict.code),
                                              detail::toC(out.verdict.reason)};
            const std::string_view by = out.verdict.kind == VerdictKind::Continue ? "" : state_->name;
            Buffer observe_error;
            if (state_->api->on_verdict(state_->instance, msg.handle(), &final_verdict, detail::toC(by),
                                        &observe_error.buf) != CHATD_OK) {
                out.failed = true;
                out.error = observe_error.text();
            }
        }
        out.text = msg.text;
        out.replaced = msg.replaced;
        return out;
    }

    // on_join / on_leave; the error text if the hook failed. Like the daemon,
    // the session table follows: join adds the session (or moves it into the
    // room under that nick), leave takes it out of the room.
    std::optional<std::string> join(const Sender& who = {}) {
        enterRoom(who, who.room);
        return event(state_->api->on_join, who);
    }
    std::optional<std::string> leave(const Sender& who = {}) {
        enterRoom(who, "");
        return event(state_->api->on_leave, who);
    }

    // on_connect: may this connection upgrade? (Admitted when the plugin has no hook.)
    AdmissionOutcome connect(const Connection& c = {}) {
        requireInstance();
        const chatd_connect_event ev{sizeof(chatd_connect_event), detail::toC(c.address), detail::toC(c.origin),
                                     detail::toC(c.path),         detail::toC(c.mode),    detail::toC(c.claims_json)};
        return admission([&](chatd_admission* verdict, chatd_error_buf* error) {
            auto hook = CHATD_FAKE_HOOK(on_connect);
            return hook == nullptr ? CHATD_OK : hook(state_->instance, &ev, verdict, error);
        });
    }
    // on_join_request: may `who` join who.room as who.nick?
    AdmissionOutcome joinRequest(const Sender& who = {}) {
        requireInstance();
        const chatd_join_request req{sizeof(chatd_join_request),  who.session_id,        detail::toC(who.session),
                                     detail::toC(who.room),       detail::toC(who.nick), detail::toC(who.address),
                                     detail::toC(who.claims_json)};
        return admission([&](chatd_admission* verdict, chatd_error_buf* error) {
            auto hook = CHATD_FAKE_HOOK(on_join_request);
            return hook == nullptr ? CHATD_OK : hook(state_->instance, &req, verdict, error);
        });
    }

    // One on_tick; the error text if it failed.
    std::optional<std::string> tick() {
        requireInstance();
        auto hook = CHATD_FAKE_HOOK(on_tick);
        Buffer error;
        if (hook != nullptr && hook(state_->instance, &error.buf) != CHATD_OK) return error.text();
        return std::nullopt;
    }

    // on_control, as `chatdctl plugin <name> <command> <args...>` calls it.
    ControlOutcome control(std::string_view command, const std::vector<std::string>& args = {}) {
        return controlJson(command, json::stringList(args));
    }
    // The same with args_json as given (to test what the plugin makes of it).
    ControlOutcome controlJson(std::string_view command, std::string_view args_json) {
        requireInstance();
        auto hook = CHATD_FAKE_HOOK(on_control);
        if (hook == nullptr) return {{}, true, "plugin has no commands"};
        chatd_control_result result{sizeof(chatd_control_result), {}};
        Buffer error;
        if (hook(state_->instance, detail::toC(command), detail::toC(args_json), &result, &error.buf) != CHATD_OK)
            return {{}, true, error.text()};
        return {std::string(detail::fromC(result.json)), false, {}};
    }

    // on_peer_message: `payload` as if the namesake on instance `from` had
    // broadcast it; the error text if the hook failed.
    std::optional<std::string> peerMessage(std::string_view payload, std::string_view from = "peer") {
        requireInstance();
        auto hook = CHATD_FAKE_HOOK(on_peer_message);
        Buffer error;
        if (hook != nullptr &&
            hook(state_->instance, detail::toC(from), detail::toC(payload), &error.buf) != CHATD_OK)
            return error.text();
        return std::nullopt;
    }
    // Hands every payload this host broadcast since the last call to `peer`
    // (as from this host's instance name) and forgets them here: two FakeHosts
    // as two instances on one Redis. How many were handed over.
    std::size_t relayTo(FakeHost& peer) {
        std::vector<Broadcast> sent;
        {
            std::lock_guard lock(state_->mutex);
            sent.swap(state_->broadcasts);
        }
        for (const Broadcast& b : sent) peer.peerMessage(b.payload, state_->name);
        return sent.size();
    }

    // Calls the shutdown hook (also done by the destructor).
    void shutdown() {
        if (state_->instance != nullptr) state_->api->shutdown(state_->instance);
        state_->instance = nullptr;
    }

    // The sessions sessionInfo() and findSession() know (replaced by id).
    void addSession(const FakeSession& session) {
        std::lock_guard lock(state_->mutex);
        removeLocked(session.session_id);
        state_->sessions.push_back(session);
    }
    void removeSession(std::uint64_t session_id) {
        std::lock_guard lock(state_->mutex);
        removeLocked(session_id);
    }

    std::vector<LogLine> logs() const { return read(&fake::State::logs); }
    // reply() and notice() calls (one service under two names).
    std::vector<Reply> replies() const { return read(&fake::State::replies); }
    std::vector<Reply> notices() const { return replies(); }
    std::vector<Post> posts() const { return read(&fake::State::posts); }
    std::vector<Kick> kicks() const { return read(&fake::State::kicks); }
    std::vector<Disconnect> disconnects() const { return read(&fake::State::disconnects); }
    std::vector<MetricCall> metricCalls() const { return read(&fake::State::metric_calls); }
    std::vector<Broadcast> broadcasts() const { return read(&fake::State::broadcasts); }
    // A custom metric's value now (the adds summed, or the last set).
    std::optional<double> metric(const std::string& name, const std::string& label = "") const {
        std::lock_guard lock(state_->mutex);
        const auto it = state_->metrics.find({name, label});
        return it == state_->metrics.end() ? std::nullopt : std::optional<double>(it->second);
    }
    // True if some log line contains `fragment`.
    bool logged(std::string_view fragment) const {
        std::lock_guard lock(state_->mutex);
        for (const auto& line : state_->logs)
            if (line.text.find(fragment) != std::string::npos) return true;
        return false;
    }
    // Forgets every record (not the sessions).
    void clearRecords() {
        std::lock_guard lock(state_->mutex);
        state_->logs.clear();
        state_->replies.clear();
        state_->posts.clear();
        state_->kicks.clear();
        state_->disconnects.clear();
        state_->metric_calls.clear();
        state_->metrics.clear();
        state_->broadcasts.clear();
    }
    const chatd_plugin_api* api() const { return state_->api; }

private:
    struct Buffer {
        char data[1024];
        chatd_error_buf buf{data, sizeof data, 0};
        std::string text() const { return std::string(data, buf.size); }
    };

    template <class Item>
    std::vector<Item> read(std::vector<Item> fake::State::*records) const {
        std::lock_guard lock(state_->mutex);
        return (*state_).*records;
    }

    void removeLocked(std::uint64_t session_id) {
        std::erase_if(state_->sessions, [&](const FakeSession& s) { return s.session_id == session_id; });
    }

    // Puts `who` into `room` ("" = none) in the session table.
    void enterRoom(const Sender& who, const std::string& room) {
        std::lock_guard lock(state_->mutex);
        for (FakeSession& s : state_->sessions) {
            if (s.session_id != who.session_id) continue;
            s.room = room;
            if (!room.empty()) s.nick = who.nick;
            return;
        }
        if (!room.empty())
            state_->sessions.push_back(
                {who.session_id, who.session, who.nick, room, who.address, "json", 0, who.claims_json});
    }

    // Creates the instance with init (previous == nullptr) or reload.
    std::optional<std::string> create(void* previous, std::string_view yaml) {
        const std::string config(yaml.empty() ? std::string_view("~") : yaml);
        chatd_plugin_init_args args{sizeof(chatd_plugin_init_args),
                                    fake::services(state_->as_chatd_0_1),
                                    reinterpret_cast<chatd_host*>(state_.get()),
                                    detail::toC(state_->name),
                                    detail::toC(config),
                                    detail::toC(state_->state_dir)};
        if (state_->as_chatd_0_1)
            args.struct_size = static_cast<std::uint32_t>(offsetof(chatd_plugin_init_args, state_dir));
        Buffer error;
        void* created = nullptr;
        const chatd_status status = previous != nullptr && state_->api->reload != nullptr
                                        ? state_->api->reload(previous, &args, &created, &error.buf)
                                        : state_->api->init(&args, &created, &error.buf);
        if (status != CHATD_OK) return error.text();
        state_->instance = created;
        return std::nullopt;
    }

    std::optional<std::string> event(chatd_status (*hook)(void*, const chatd_session_event*, chatd_error_buf*),
                                     const Sender& who) {
        requireInstance();
        if (hook == nullptr) return std::nullopt;
        const chatd_session_event ev{sizeof(chatd_session_event), who.session_id, detail::toC(who.session),
                                     detail::toC(who.room), detail::toC(who.nick)};
        Buffer error;
        if (hook(state_->instance, &ev, &error.buf) != CHATD_OK) return error.text();
        return std::nullopt;
    }

    // Runs an admission hook through `call` and reads its verdict.
    template <class Call>
    AdmissionOutcome admission(Call&& call) {
        chatd_admission verdict{sizeof(chatd_admission), CHATD_ADMIT, {}, {}};
        Buffer error;
        AdmissionOutcome out;
        if (call(&verdict, &error.buf) != CHATD_OK) {
            out.failed = true;
            out.error = error.text();
            return out;
        }
        out.admitted = verdict.kind == CHATD_ADMIT;
        out.reason = std::string(detail::fromC(verdict.reason));
        out.code = std::string(detail::fromC(verdict.code));
        return out;
    }

    void requireInstance() const {
        if (state_->instance == nullptr) throw std::logic_error("FakeHost: call init() first");
    }

    std::unique_ptr<fake::State> state_;
};

}  // namespace chatd::sdk::testing

#undef CHATD_FAKE_HOOK
