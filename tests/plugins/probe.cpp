// A configurable test plugin for the pipeline tests: every behaviour a test
// needs is switched on by its config, so one probe.so serves as many entries.
//   append: "X"        text += X (shows order)
//   drop_if / reject_if / throw_if: "s"   when the text contains s
//   code, reason       for reject_if
//   bad_utf8_if: "s"   tries to set invalid UTF-8 (the host refuses: the hook fails)
//   reply: true        replies "<name> saw <text>" to the sender
//   greet: true        on_join replies "welcome <nick> to <room>"; on_leave logs
//   throw_on_join: true
//   observe: true      reports every final verdict as a reply "verdict <kind> by <by>"
//   count: true        "/count" replies "count <n>" (messages seen, carried over reloads)
//   fail_init: "msg"   init fails with msg
//   spin: n            busy-waits n iterations inside on_message (widens race windows)
//   sleep_if: "s", sleep_ms: n   sleeps n ms inside on_message when the text contains s (wedges the shard)
// It also checks the host's promise: its hooks never run concurrently.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <chatd/config.hpp>
#include <chatd/plugin.hpp>

namespace {

namespace cfg = chatd::sdk::config;
using chatd::sdk::Verdict;

// Throws if another hook of this instance is running (the host must prevent it).
class ExclusiveGuard {
public:
    explicit ExclusiveGuard(std::atomic<bool>& busy) : busy_(busy) {
        if (busy_.exchange(true)) throw std::logic_error("two hooks of one instance ran at once");
    }
    ~ExclusiveGuard() { busy_.store(false); }

private:
    std::atomic<bool>& busy_;
};

class Probe : public chatd::sdk::Plugin {
public:
    void init(const YAML::Node& c) override {
        cfg::checkKeys(c, {"append", "drop_if", "reject_if", "throw_if", "code", "reason", "bad_utf8_if", "reply",
                           "greet", "throw_on_join", "observe", "count", "fail_init", "spin", "sleep_if",
                           "sleep_ms"});
        if (auto why = cfg::get<std::string>(c, "fail_init", ""); !why.empty()) throw std::runtime_error(why);
        append_ = cfg::get<std::string>(c, "append", "");
        drop_if_ = cfg::get<std::string>(c, "drop_if", "");
        reject_if_ = cfg::get<std::string>(c, "reject_if", "");
        throw_if_ = cfg::get<std::string>(c, "throw_if", "");
        bad_utf8_if_ = cfg::get<std::string>(c, "bad_utf8_if", "");
        code_ = cfg::get<std::string>(c, "code", "rejected");
        reason_ = cfg::get<std::string>(c, "reason", "");
        reply_ = cfg::get<bool>(c, "reply", false);
        greet_ = cfg::get<bool>(c, "greet", false);
        throw_on_join_ = cfg::get<bool>(c, "throw_on_join", false);
        observe_ = cfg::get<bool>(c, "observe", false);
        count_ = cfg::get<bool>(c, "count", false);
        spin_ = cfg::get<int>(c, "spin", 0);
        sleep_if_ = cfg::get<std::string>(c, "sleep_if", "");
        sleep_ms_ = cfg::get<int>(c, "sleep_ms", 0);
    }

    void reload(const YAML::Node& c, chatd::sdk::Plugin& previous) override {
        init(c);
        seen_ = static_cast<Probe&>(previous).seen_;
        host().info("reloaded, carrying " + std::to_string(seen_) + " message(s)");
    }

    Verdict onMessage(chatd::sdk::Message& msg) override {
        ExclusiveGuard guard(busy_);
        // Stay inside the hook a while (widens the window a concurrency bug would need).
        for (int i = 0; i < spin_; ++i) std::atomic_signal_fence(std::memory_order_seq_cst);
        ++seen_;
        const std::string text(msg.text());
        if (contains(text, sleep_if_)) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
        if (count_ && text == "/count") msg.reply("count " + std::to_string(seen_));
        if (reply_) msg.reply(host().instanceName() + " saw " + text);
        if (contains(text, throw_if_)) {
            if (!append_.empty()) msg.setText(text + append_);  // a failed hook's change must be undone
            throw std::runtime_error("probe exploded");
        }
        if (contains(text, bad_utf8_if_)) msg.setText("bad \xFF byte");
        if (contains(text, drop_if_)) return Verdict::drop();
        if (contains(text, reject_if_)) return Verdict{chatd::sdk::VerdictKind::Reject, code_, reason_};
        if (!append_.empty()) msg.setText(text + append_);
        return Verdict::pass();
    }

    void onVerdict(const chatd::sdk::Message& msg, const Verdict& verdict, std::string_view by) override {
        ExclusiveGuard guard(busy_);
        if (!observe_) return;
        const char* kind = verdict.kind == chatd::sdk::VerdictKind::Drop     ? "drop"
                           : verdict.kind == chatd::sdk::VerdictKind::Reject ? "reject"
                                                                             : "continue";
        msg.reply(std::string("verdict ") + kind + " by '" + std::string(by) + "' text '" + std::string(msg.text()) +
                  "'");
    }

    void onJoin(const chatd::sdk::SessionEvent& e) override {
        ExclusiveGuard guard(busy_);
        if (throw_on_join_) throw std::runtime_error("join exploded");
        if (greet_) host().reply(e.session_id, "welcome " + std::string(e.nick) + " to " + std::string(e.room));
    }

    void onLeave(const chatd::sdk::SessionEvent& e) override {
        ExclusiveGuard guard(busy_);
        if (greet_) host().info("left: " + std::string(e.nick) + " (" + std::string(e.session) + ")");
    }

    void shutdown() override { host().info("shutdown after " + std::to_string(seen_) + " message(s)"); }

private:
    static bool contains(const std::string& text, const std::string& part) {
        return !part.empty() && text.find(part) != std::string::npos;
    }

    std::string append_, drop_if_, reject_if_, throw_if_, bad_utf8_if_, code_, reason_, sleep_if_;
    bool reply_ = false, greet_ = false, throw_on_join_ = false, observe_ = false, count_ = false;
    int spin_ = 0;
    int sleep_ms_ = 0;
    std::uint64_t seen_ = 0;
    std::atomic<bool> busy_{false};
};

}  // namespace

CHATD_PLUGIN(Probe, "probe");
