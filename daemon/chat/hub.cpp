#include "chat/hub.h"

#include <spdlog/spdlog.h>

#include "bus/memory_bus.h"
#include "chat/hub_shard.h"
#include "chat/session.h"
#include "metrics/instruments.h"
#include "net/connection.h"
#include "net/io_loop.h"
#include "plugin_host/pipeline.h"
#include "protocol/event_encoder.h"
#include "util/log_text.h"
#include "ws/frame_encoder.h"

namespace chatd::chat {

Hub::Hub(std::vector<net::IoLoop*> loops, unsigned shard_count, ChatSettings settings, std::unique_ptr<bus::Bus> bus)
    : loops_(std::move(loops)),
      bus_(bus ? std::move(bus) : std::make_unique<bus::MemoryBus>()),
      settings_(std::make_shared<const ChatSettings>(std::move(settings))) {
    for (net::IoLoop* loop : loops_) loop_rooms_.push_back(std::make_unique<LoopRooms>(*loop));
    for (unsigned i = 0; i < std::max(1u, shard_count); ++i) shards_.push_back(std::make_unique<HubShard>(*this, i));
}

Hub::~Hub() { stop(); }

void Hub::start() {
    for (auto& shard : shards_) shard->start();
    bus_->start(*this);
}

void Hub::stop(std::chrono::milliseconds bus_grace) {
    for (auto& shard : shards_) shard->stop();
    bus_->stop(bus_grace);
}

void Hub::onRoomEvent(const std::string& room, bus::RoomEvent event) {
    shardFor(room).post(BusEventCommand{room, std::make_unique<bus::RoomEvent>(std::move(event))});
}

void Hub::probeShard(unsigned index, std::function<void()> answer) { shards_.at(index)->probe(std::move(answer)); }

void Hub::onSharingChanged(bool sharing) {
    for (auto& shard : shards_) shard->post(BusStateCommand{sharing});
}

namespace {

constexpr std::uint16_t kOperatorClose = 4000;  // shared/PROTOCOL.md: an operator's disconnect

}  // namespace

void Hub::onRemoteDisconnect(const std::string& nick, const std::string& reason) {
    const std::vector<std::uint64_t> holders = directory_.findNickAnywhere(nick);
    spdlog::info("bus: another instance's operator disconnects {} ({} session(s) here, reason \"{}\")",
                 util::LogText{nick}, holders.size(), util::LogText{reason});
    const std::string fitted = ws::fitCloseReason(reason);
    for (const std::uint64_t id : holders)
        withSession(id, [fitted](Session& session) { session.disconnect(kOperatorClose, fitted); });
}

void Hub::onPluginBroadcast(const std::string& instance, bus::PluginBroadcast broadcast) {
    if (plugin_broadcast_) plugin_broadcast_(instance, std::move(broadcast));
}

void Hub::setSettings(ChatSettings settings) {
    settings_.store(std::make_shared<const ChatSettings>(std::move(settings)));
}

std::uint64_t Hub::newSessionId(unsigned loop_index) {
    return makeSessionId(next_serial_.fetch_add(1, std::memory_order_relaxed), loop_index);
}

std::string Hub::nextGuestNick() {
    return "guest-" + std::to_string(next_guest_.fetch_add(1, std::memory_order_relaxed));
}

namespace {
// The HeldSubmits open on this thread (innermost), if any.
thread_local Hub::HeldSubmits* t_held = nullptr;
}  // namespace

std::size_t Hub::shardIndexFor(const std::string& room) const {
    return std::hash<std::string>{}(room) % shards_.size();
}

void Hub::setMessageStore(MessageStore* store) {
    store_ = store;
    if (store_)
        store_->setBatchRunner([this](const std::function<void()>& callbacks) {
            HeldSubmits held(*this);
            callbacks();
        });
}

Hub::HeldSubmits::HeldSubmits(Hub& hub) : hub_(hub), outer_(t_held), per_shard_(hub.shards_.size()) { t_held = this; }

Hub::HeldSubmits::~HeldSubmits() {
    t_held = outer_;
    for (std::size_t i = 0; i < per_shard_.size(); ++i)
        if (!per_shard_[i].empty()) hub_.shards_[i]->postAll(per_shard_[i]);
}

void Hub::submit(HubCommand command) {
    const std::string* room = std::visit(
        [](const auto& c) -> const std::string* {
            if constexpr (requires { c.room; })
                return &c.room;
            else
                return nullptr;  // BusStateCommand goes to every shard (onSharingChanged)
        },
        command);
    if (!room) return;
    const std::size_t index = shardIndexFor(*room);
    if (t_held && &t_held->hub_ == this) {
        shards_[index]->countHeld(command);
        t_held->per_shard_[index].push_back(std::move(command));
    } else
        shards_[index]->post(std::move(command));
}

void Hub::withSession(std::uint64_t session_id, std::function<void(Session&)> action, std::function<void()> gone) {
    const unsigned loop_index = loopIndexOf(session_id);
    loops_[loop_index]->post([rooms = loop_rooms_[loop_index].get(), session_id, action = std::move(action),
                              gone = std::move(gone)] {
        if (Session* session = rooms->findSession(session_id)) {
            action(*session);
        } else if (gone) {
            gone();
        }
    });
}

void Hub::sendToSession(std::uint64_t session_id, net::SharedFrame frame) {
    net::IoLoop& loop = *loops_[loopIndexOf(session_id)];
    loop.post([&loop, session_id, frame = std::move(frame)] {
        if (net::Connection* connection = loop.find(session_id)) connection->send(frame);
    });
}

void Hub::sendNotice(std::uint64_t session_id, std::string_view plugin, std::string_view text) {
    net::SharedFrame json = net::makeFrame(ws::Opcode::Text, protocol::encodeNotice(plugin, text));
    net::SharedFrame raw = net::makeFrame(ws::Opcode::Binary, text);
    withSession(session_id, [json, raw](Session& session) { session.sendNotice(json, raw); });
}

void Hub::deliverOnLoop(unsigned loop_index, const std::string& room, net::SharedFrame json, net::SharedFrame raw,
                        util::SteadyTime started) {
    metrics::Histogram* fanout = started == util::SteadyTime{} ? nullptr : metrics_.fanout_seconds;
    loops_[loop_index]->post([rooms = loop_rooms_[loop_index].get(), room, json = std::move(json),
                              raw = std::move(raw), fanout, started] {
        rooms->deliver(room, json, raw);
        if (fanout) fanout->observe(util::steadyNow() - started);
    });
}

std::size_t Hub::roomCount() const {
    std::size_t total = 0;
    for (const auto& shard : shards_) total += shard->roomCount();
    return total;
}

std::size_t Hub::mailboxBytes(const std::string& room) const { return shards_[shardIndexFor(room)]->queuedBytes(); }

std::size_t Hub::mailboxBytes() const {
    std::size_t total = 0;
    for (const auto& shard : shards_) total += shard->queuedBytes();
    return total;
}

std::size_t Hub::historyBytes() const {
    std::size_t total = 0;
    for (const auto& shard : shards_) total += shard->historyBytes();
    return total;
}

}  // namespace chatd::chat
