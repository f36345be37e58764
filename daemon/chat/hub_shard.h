// HubShard: one thread that owns a subset of the rooms (by hash of the name).
// It runs the plugin pipeline, assigns sequence numbers, keeps history and
// hands one encoded frame per broadcast to each IO loop with members.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "chat/hub_commands.h"
#include "chat/room.h"

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
    std::size_t roomCount() const { return room_count_.load(std::memory_order_relaxed); }

private:
    void run();
    void execute(JoinCommand& command);
    void execute(MessageCommand& command);
    void execute(NickCommand& command);
    void execute(LeaveCommand& command);

    Room& roomNamed(const std::string& name);
    Room* findRoom(const std::string& name);
    const Member* memberFor(const SessionRef& who, const std::string& room_name,
                            const std::optional<std::string>& request_id, Room*& room);
    std::string uniqueGuestNick(const Room& room);
    void welcome(Room& room, const SessionRef& who, const std::string& nick,
                 const std::optional<protocol::Since>& since);
    void broadcast(Room& room, const net::SharedFrame& json, const net::SharedFrame& raw);
    void broadcastPresence(Room& room, std::string_view event, std::string_view nick,
                           std::optional<std::string_view> old_nick);
    void sendError(const SessionRef& who, std::string_view code, std::string_view reason,
                   const std::optional<std::string>& request_id);
    void evictIdleRooms();

    Hub& hub_;
    unsigned index_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<HubCommand> queue_;
    bool stopping_ = false;
    std::unordered_map<std::string, std::unique_ptr<Room>> rooms_;
    std::atomic<std::size_t> room_count_{0};
};

}  // namespace chatd::chat
