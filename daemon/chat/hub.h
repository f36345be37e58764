// Hub: routes what sessions ask to the shard owning the room, and routes
// what shards produce back to the IO loop owning each session. It also holds
// the live chat settings, the current plugin pipeline (swapped on reload) and
// the bus; as the bus' listener it routes what the bus reports to the shards.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "chat/chat_settings.h"
#include "chat/client_log.h"
#include "chat/hub_commands.h"
#include "chat/hub_metrics.h"
#include "chat/loop_rooms.h"
#include "chat/message_store.h"
#include "chat/session_directory.h"
#include "chat/session_ref.h"
#include "net/shared_frame.h"
#include "util/clock.h"

namespace chatd::net {
class IoLoop;
}
namespace chatd::plugin_host {
class Pipeline;
}

namespace chatd::chat {

class HubShard;
class Session;

class Hub final : public bus::Listener {
public:
    // `bus` null: the in-memory bus (rooms stay in this process).
    Hub(std::vector<net::IoLoop*> loops, unsigned shard_count, ChatSettings settings,
        std::unique_ptr<bus::Bus> bus = nullptr);
    ~Hub() override;
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // Starts the shards, then the bus.
    void start();
    // Lets the shards finish what is queued, then stops them and the bus
    // (which sends what the shards left it within `bus_grace`).
    void stop(std::chrono::milliseconds bus_grace = std::chrono::milliseconds(2000));

    // Thread-safe (the bus' requests and directory() may be called from any thread).
    bus::Bus& bus() const { return *bus_; }
    // "memory", "redis" or "degraded" (/healthz).
    std::string_view busState() const { return bus_->state(); }

    // bus::Listener (the bus thread)
    void onRoomEvent(const std::string& room, bus::RoomEvent event) override;
    void onSharingChanged(bool sharing) override;
    // Closes (4000, `reason`) every session here holding `nick`, in a room or not.
    void onRemoteDisconnect(const std::string& nick, const std::string& reason) override;
    // Hands the broadcast to the handler set below (dropped when none).
    void onPluginBroadcast(const std::string& instance, bus::PluginBroadcast broadcast) override;

    // Where plugin broadcasts from other instances go (the plugin pipeline);
    // call before start(). Called on the bus thread.
    using PluginBroadcastHandler = std::function<void(const std::string& instance, bus::PluginBroadcast)>;
    void setPluginBroadcastHandler(PluginBroadcastHandler handler) { plugin_broadcast_ = std::move(handler); }

    // Any thread: the settings and pipeline in force now.
    std::shared_ptr<const ChatSettings> settings() const { return settings_.load(); }
    void setSettings(ChatSettings settings);
    std::shared_ptr<plugin_host::Pipeline> pipeline() const { return pipeline_.load(); }
    void setPipeline(std::shared_ptr<plugin_host::Pipeline> pipeline) { pipeline_.store(std::move(pipeline)); }

    // The durable history of locally ordered rooms (null: memory only); call
    // before start(). The store must outlive the hub's shards.
    // The store's Done callbacks of one batch run inside a HeldSubmits.
    void setMessageStore(MessageStore* store);
    MessageStore* messageStore() const { return store_; }

    // Where counts and limit hits go; call before start().
    void setMetrics(HubMetrics metrics) { metrics_ = metrics; }
    const HubMetrics& metrics() const { return metrics_; }
    // Any thread: the rate-limited lines for what clients do.
    ClientLog& clientLog() { return client_log_; }
    // Any thread: who is connected here and where (sessions keep it current).
    SessionDirectory& directory() { return directory_; }
    const SessionDirectory& directory() const { return directory_; }

    // Any thread (sessions' IO loops, the bus, plugins, the control socket):
    // queues `command` to the shard owning its room, under that shard's
    // lock. Commands one thread submits run in the order it submitted them.
    // Posts and kicks (PostCommand, KickCommand) come this way too: they are
    // only queued, never run on the caller's thread, so a plugin hook may
    // submit them without re-entering the pipeline.
    void submit(HubCommand command);

    // While one lives on a thread, what that thread submit()s to this hub is
    // held, and posted when it ends: each shard's commands at once (one lock,
    // one wake-up), in the order submitted. The store's thread uses it for
    // the results of one batch (one hand-over per batch, not per message).
    // One at a time per thread and hub (a nested one would post first).
    class HeldSubmits {
    public:
        explicit HeldSubmits(Hub& hub);
        ~HeldSubmits();
        HeldSubmits(const HeldSubmits&) = delete;
        HeldSubmits& operator=(const HeldSubmits&) = delete;

    private:
        friend class Hub;
        Hub& hub_;
        HeldSubmits* outer_;
        std::vector<std::vector<HubCommand>> per_shard_;
    };
    std::uint64_t newSessionId(unsigned loop_index);
    std::string nextGuestNick();

    // Any thread (shards, the control socket, plugins): run `action` with
    // the session on its IO loop thread (e.g. Session::disconnect); when the
    // session is gone by then, `gone` runs there instead (if given).
    void withSession(std::uint64_t session_id, std::function<void(Session&)> action, std::function<void()> gone = {});
    void sendToSession(std::uint64_t session_id, net::SharedFrame frame);
    // A plugin's reply to one sender: a `notice` (JSON) or the bare text (raw).
    void sendNotice(std::uint64_t session_id, std::string_view plugin, std::string_view text);
    // Queues `json`/`raw` to the members of `room` on loop `loop_index`; with
    // `started` set, the time since then is observed as fan-out latency.
    void deliverOnLoop(unsigned loop_index, const std::string& room, net::SharedFrame json, net::SharedFrame raw,
                       util::SteadyTime started = {});

    unsigned loopCount() const { return static_cast<unsigned>(loops_.size()); }
    LoopRooms& loopRooms(unsigned loop_index) { return *loop_rooms_[loop_index]; }
    std::size_t roomCount() const;
    unsigned shardCount() const { return static_cast<unsigned>(shards_.size()); }
    // Runs `answer` on shard `index`'s thread after what is queued there (HubShard::probe).
    void probeShard(unsigned index, std::function<void()> answer);
    // Any thread: the estimated bytes waiting in the mailbox of the shard
    // owning `room` (limits.shard_queue_bytes), and in all shards' (chatd_shard_queue_bytes).
    std::size_t mailboxBytes(const std::string& room) const;
    std::size_t mailboxBytes() const;
    // Bytes all rooms' histories hold (chatd_history_bytes).
    std::size_t historyBytes() const;

private:
    std::size_t shardIndexFor(const std::string& room) const;
    HubShard& shardFor(const std::string& room) { return *shards_[shardIndexFor(room)]; }

    HubMetrics metrics_;
    MessageStore* store_ = nullptr;
    ClientLog client_log_;
    SessionDirectory directory_;
    std::vector<net::IoLoop*> loops_;
    std::unique_ptr<bus::Bus> bus_;
    std::vector<std::unique_ptr<LoopRooms>> loop_rooms_;
    std::vector<std::unique_ptr<HubShard>> shards_;
    std::atomic<std::shared_ptr<const ChatSettings>> settings_;
    std::atomic<std::shared_ptr<plugin_host::Pipeline>> pipeline_;
    PluginBroadcastHandler plugin_broadcast_;
    std::atomic<std::uint64_t> next_serial_{1};
    std::atomic<std::uint64_t> next_guest_{1};
};

}  // namespace chatd::chat
