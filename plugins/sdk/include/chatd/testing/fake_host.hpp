// A fake chatd for plugin unit tests (header-only, no daemon, no gtest
// dependency): drives a plugin through the same C ABI the daemon uses, either
// a class linked into the test (FakeHost::of<MyPlugin>()) or a built .so
// (FakeHost::load("my_plugin.so")), and records what it did: verdicts,
// replaced text, replies, log lines.
//
//     auto host = chatd::sdk::testing::FakeHost::of<Hello>();
//     host.init("greeting: hi");
//     auto out = host.send("/hello", {.nick = "bob"});
//     EXPECT_TRUE(out.dropped());
//     EXPECT_EQ(host.replies().at(0).text, "hi, bob!");
#pragma once

#include <dlfcn.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "chatd/detail/utf8.hpp"
#include "chatd/plugin.hpp"

namespace chatd::sdk::testing {

struct LogLine {
    LogLevel level;
    std::string text;
};

struct Reply {
    std::uint64_t session_id;
    std::string text;
};

// Who sends a message, joins or leaves.
struct Sender {
    std::uint64_t session_id = 1;
    std::string session = "s1";
    std::string room = "lobby";
    std::string nick = "alice";
};

// What one plugin did with one message.
struct Outcome {
    Verdict verdict;        // the plugin's verdict (pass when it failed)
    std::string text;       // the text after the plugin: replaced or the original
    bool replaced = false;  // setText() was called
    bool failed = false;    // the hook threw: the daemon would apply on_error
    std::string error;      // the exception's message

    bool passed() const { return !failed && verdict.kind == VerdictKind::Continue; }
    bool dropped() const { return verdict.kind == VerdictKind::Drop; }
    bool rejected() const { return verdict.kind == VerdictKind::Reject; }
};

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
        : state_(std::make_unique<State>()) {
        state_->api = api;
        state_->library = std::move(library);
        state_->name = std::move(instance_name);
    }
    FakeHost(FakeHost&&) noexcept = default;
    FakeHost& operator=(FakeHost&&) = delete;
    ~FakeHost() {
        if (state_) shutdown();
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
        Msg msg{std::string(text), from, true, false};
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

    // on_join / on_leave; the error text if the hook failed.
    std::optional<std::string> join(const Sender& who = {}) { return event(state_->api->on_join, who); }
    std::optional<std::string> leave(const Sender& who = {}) { return event(state_->api->on_leave, who); }

    // Calls the shutdown hook (also done by the destructor).
    void shutdown() {
        if (state_->instance != nullptr) state_->api->shutdown(state_->instance);
        state_->instance = nullptr;
    }

    std::vector<LogLine> logs() const {
        std::lock_guard lock(state_->mutex);
        return state_->logs;
    }
    std::vector<Reply> replies() const {
        std::lock_guard lock(state_->mutex);
        return state_->replies;
    }
    // True if some log line contains `fragment`.
    bool logged(std::string_view fragment) const {
        std::lock_guard lock(state_->mutex);
        for (const auto& line : state_->logs)
            if (line.text.find(fragment) != std::string::npos) return true;
        return false;
    }
    void clearRecords() {
        std::lock_guard lock(state_->mutex);
        state_->logs.clear();
        state_->replies.clear();
    }
    const chatd_plugin_api* api() const { return state_->api; }

private:
    struct State {
        const chatd_plugin_api* api = nullptr;
        std::shared_ptr<void> library;
        std::string name;
        void* instance = nullptr;
        mutable std::mutex mutex;  // the plugin may log/reply from its own threads
        std::vector<LogLine> logs;
        std::vector<Reply> replies;
    };

    struct Msg {
        std::string text;
        Sender from;
        bool writable;
        bool replaced;
        chatd_message* handle() { return reinterpret_cast<chatd_message*>(this); }
        static Msg& of(const chatd_message* m) { return *reinterpret_cast<Msg*>(const_cast<chatd_message*>(m)); }
    };

    struct Buffer {
        char data[1024];
        chatd_error_buf buf{data, sizeof data, 0};
        std::string text() const { return std::string(data, buf.size); }
    };

    static State& stateOf(chatd_host* host) { return *reinterpret_cast<State*>(host); }

    static const chatd_host_api* services() {
        static const chatd_host_api api{
            sizeof(chatd_host_api),
            [](chatd_host* host, std::int32_t level, chatd_str text) {
                State& s = stateOf(host);
                std::lock_guard lock(s.mutex);
                s.logs.push_back({static_cast<LogLevel>(level), std::string(detail::fromC(text))});
            },
            [](const chatd_message* m) { return detail::toC(Msg::of(m).text); },
            [](const chatd_message* m) { return detail::toC(Msg::of(m).from.room); },
            [](const chatd_message* m) { return detail::toC(Msg::of(m).from.nick); },
            [](const chatd_message* m) { return detail::toC(Msg::of(m).from.session); },
            [](const chatd_message* m) { return Msg::of(m).from.session_id; },
            [](chatd_message* m, chatd_str text) -> chatd_status {
                Msg& msg = Msg::of(m);
                if (!msg.writable || !detail::isValidUtf8(detail::fromC(text))) return CHATD_FAILED;
                msg.text.assign(detail::fromC(text));
                msg.replaced = true;
                return CHATD_OK;
            },
            [](chatd_host* host, std::uint64_t session_id, chatd_str text) -> chatd_status {
                if (!detail::isValidUtf8(detail::fromC(text))) return CHATD_FAILED;
                State& s = stateOf(host);
                std::lock_guard lock(s.mutex);
                s.replies.push_back({session_id, std::string(detail::fromC(text))});
                return CHATD_OK;
            },
        };
        return &api;
    }

    // Creates the instance with init (previous == nullptr) or reload.
    std::optional<std::string> create(void* previous, std::string_view yaml) {
        const std::string config(yaml.empty() ? std::string_view("~") : yaml);
        const chatd_plugin_init_args args{sizeof(chatd_plugin_init_args), services(),
                                          reinterpret_cast<chatd_host*>(state_.get()), detail::toC(state_->name),
                                          detail::toC(config)};
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

    void requireInstance() const {
        if (state_->instance == nullptr) throw std::logic_error("FakeHost: call init() first");
    }

    std::unique_ptr<State> state_;
};

}  // namespace chatd::sdk::testing
