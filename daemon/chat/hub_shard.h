// HubShard: one thread that owns a subset of the rooms (by hash of the name).
// It takes the sessions' commands in order, checks what it can alone
// (membership, room limits, nicks held here), runs the plugin pipeline on
// every message, and hands the rest to the room's ordering (room_ordering.h):
// LocalOrdering when this shard numbers the room, SharedOrdering when the
// Redis bus does. What the bus reports goes to SharedOrdering.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chat/hub_commands.h"
#include "chat/local_ordering.h"
#include "chat/room_output.h"
#include "chat/shard_rooms.h"
#include "chat/shared_ordering.h"

namespace chatd::chat {

class Hub;

class HubShard {
public:
    HubShard(Hub& hub, unsigned index);
    ~HubShard();
    HubShard(const HubShard&) = delete;
    HubShard& operator=(const HubShard&) = delete;

    void start();
    // Executes what is queued, then ends the thread.
    void stop();
    void post(HubCommand command);
    // Queues all of `commands` (moved out, in order; counted by countHeld()) with one lock and one wake-up.
    void postAll(std::vector<HubCommand>& commands);
    // Counts a command held for postAll() in queuedBytes() already (Hub::HeldSubmits):
    // a session's backpressure sees what it submitted before it reaches the queue.
    void countHeld(const HubCommand& command) { queued_bytes_.fetch_add(costOf(command), std::memory_order_relaxed); }
    // Runs `answer` on this shard's thread once what is queued before it ran
    // (the watchdog's liveness check: a shard stuck in a hook never answers).
    void probe(std::function<void()> answer);
    std::size_t roomCount() const { return rooms_.count(); }
    // Any thread: an estimate of the bytes of the commands queued here and
    // of the batch running (limits.shard_queue_bytes; chatd_shard_queue_bytes).
    std::size_t queuedBytes() const { return queued_bytes_.load(std::memory_order_relaxed); }
    // The estimate for one command: its strings plus a fixed overhead.
    static std::size_t costOf(const HubCommand& command);
    // Bytes the histories of this shard's rooms hold (any thread).
    std::size_t historyBytes() const { return rooms_.historyBytes(); }

private:
    void run();
    // Sends the presence batches that are due (room_presence.cpp).
    void flushDuePresence();
    void execute(JoinCommand& command);
    void execute(MessageCommand& command);
    void execute(NickCommand& command);
    void execute(HistoryCommand& command);
    void execute(UsersCommand& command);
    void execute(LeaveCommand& command);
    void execute(StoredCommand& command);
    void execute(BusEventCommand& command);
    void execute(BusStateCommand& command);
    // Posts, kicks and join admission: what plugins and the operator do (hub_shard_actions.cpp).
    void execute(PostCommand& command);
    void execute(KickCommand& command);
    void execute(KickNickCommand& command);

    RoomOrdering& orderingOf(const Room& room);
    // The member `who` is in `room_name`; answers bad_request (and returns
    // nullptr) when it is not.
    const Member* memberFor(const SessionRef& who, const std::string& room_name,
                            const std::optional<std::string>& request_id, Room*& room);
    // True (after answering the joiner) when `nick` is someone else's here.
    bool nickHeldByAnother(const Room& room, const SessionRef& who, const std::string& nick,
                           const std::optional<std::string>& request_id);
    std::string uniqueGuestNick(const Room& room);
    // limits.max_rooms / max_room_users: false (after answering the joiner) when the join must be refused.
    bool roomLimitsAllow(const JoinCommand& command, const Room* room, bool already_member);
    // limits.max_rooms: whether one more room may be created (empty local rooms go first when not).
    bool roomCountAllowsNew();
    // The room `name`, created (and restored from the store) when new; the ordering the bus decides.
    Room& openRoom(const std::string& name);
    // The plugins' on_join_request: false (after answering forbidden) when one refused the join.
    bool admitted(const JoinCommand& command);
    // Runs the plugins after the poster on a post; false when they dropped or rejected it (logged).
    bool judge(const PostCommand& command, std::string& text);
    // Runs the plugins on `text`; false when they dropped or rejected it (answered).
    bool judge(const MessageCommand& command, const Room& room, const Member& member, std::string& text);

    Hub& hub_;
    unsigned index_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<HubCommand> queue_;
    std::atomic<std::size_t> queued_bytes_{0};  // queue_ and the batch running (queuedBytes())
    std::vector<std::function<void()>> probes_;
    bool stopping_ = false;
    ShardRooms rooms_;
    RoomOutput output_;
    LocalOrdering local_;
    SharedOrdering shared_;
};

}  // namespace chatd::chat
