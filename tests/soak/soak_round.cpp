// The phases of one soak round (see soak_scenario.h).
#include <algorithm>

#include "soak_scenario.h"

namespace chatd::soak {

namespace {
constexpr int kFloodText = 2000;    // bytes per flood message: 100 of them (the history a joiner gets) fit one queue
constexpr int kFloodInFlight = 16;  // flood messages sent but not yet echoed
constexpr int kFloodCap = 40'000;   // ~80 MB: far beyond any queue plus kernel buffers
}  // namespace

int SoakScenario::expectedFor(const Slot& slot) const {
    if (slot.role == Raw) return options_.messages_per_sender + options_.expect_extra;  // the lobby sender's messages
    const int room = slot.index % options_.rooms;
    int senders = 0;  // members of this room among the first senders_per_room * rooms
    for (int i = room; i < members_ && i < options_.senders_per_room * options_.rooms; i += options_.rooms) ++senders;
    return senders * options_.messages_per_sender + options_.expect_extra;
}

void SoakScenario::runRound(int round, bool churn_after) {
    round_ = round;
    connectWellBehaved();
    syncLobby();
    startHostile();
    sendMessages();
    checkRound();
    if (churn_after) churn();
    dropClosedHostile();
}

void SoakScenario::connectWellBehaved() {
    for (Slot& slot : well_behaved_)
        if (!slot.client || slot.client->closed()) connect(slot);
    if (!lobby_.client || lobby_.client->closed()) connect(lobby_);
    wait("connecting and joining the well-behaved clients", [&] {
        return lobby_.welcomed && std::all_of(well_behaved_.begin(), well_behaved_.end(), [](const Slot& slot) {
                   return slot.welcomed || (slot.client && slot.client->closed());
               });
    });
}

// Raw clients join the default room on their own after the 101; the lobby
// sender joins again until its welcome counts all of them (and itself).
void SoakScenario::syncLobby() {
    const int expected =
        1 + static_cast<int>(std::count_if(well_behaved_.begin(), well_behaved_.end(), [](const Slot& s) {
            return s.role == Raw && s.client && !s.client->closed();
        }));
    const auto deadline = std::chrono::steady_clock::now() + options_.phase_timeout;
    while (lobby_users_ != expected && std::chrono::steady_clock::now() < deadline && !lobby_.client->closed()) {
        lobby_users_ = -1;
        lobby_.client->sendText(R"({"type":"join","nick":"lobby-sender"})");
        wait("lobby welcome", [&] { return lobby_users_ >= 0 || lobby_.client->closed(); });
    }
    if (lobby_users_ != expected)
        error("the default room has " + std::to_string(lobby_users_) + " users, expected " + std::to_string(expected));
}

void SoakScenario::startHostile() {
    hostile_.clear();
    hostile_.resize(static_cast<std::size_t>(options_.slow_readers + options_.oversize + options_.violations));
    for (std::size_t i = 0; i < hostile_.size(); ++i) {
        const int n = static_cast<int>(i);
        hostile_[i].role = n < options_.slow_readers                       ? Slow
                           : n < options_.slow_readers + options_.oversize ? Oversize
                                                                           : Violation;
        hostile_[i].index = n;
        connect(hostile_[i]);
    }
    connect(flooder_);
    flood_sent_ = flood_echoed_ = slow_left_ = 0;
    slow_resumed_ = false;
    wait("connecting the slow readers and the flooder", [&] {
        return flooder_.welcomed && std::all_of(hostile_.begin(), hostile_.end(), [](const Slot& slot) {
                   return slot.role != Slow || slot.welcomed || slot.client->closed();
               });
    });
}

// Keeps a few flood messages in flight until every slow reader was dropped;
// then lets them read again so they find their close frame. True when done.
bool SoakScenario::floodStep() {
    if (flooder_.client->closed()) return true;
    if (slow_left_ < options_.slow_readers) {
        while (flood_sent_ - flood_echoed_ < kFloodInFlight && flood_sent_ < kFloodCap) {
            ++flood_sent_;
            flooder_.client->sendText(R"({"type":"message","text":")" + prefix() + "flood|" +
                                      std::string(kFloodText, 'f') + R"("})");
        }
        return false;
    }
    if (!slow_resumed_) {
        slow_resumed_ = true;
        for (Slot& slot : hostile_) {
            if (slot.role != Slow) continue;
            slot.client->setDiscarding(true);
            slot.client->setReading(true);
        }
    }
    return flood_echoed_ == flood_sent_;
}

void SoakScenario::sendMessages() {
    for (Slot& slot : well_behaved_) slot.received = 0;
    lobby_.received = 0;
    for (int k = 0; k < options_.messages_per_sender; ++k) {
        for (int i = 0; i < members_ && i < options_.senders_per_room * options_.rooms; ++i)
            if (well_behaved_[i].client && !well_behaved_[i].client->closed())
                well_behaved_[i].client->sendText(R"({"type":"message","text":")" + prefix() + std::to_string(i) + "|" +
                                                  std::to_string(k) + R"("})");
        lobby_.client->sendText(R"({"type":"message","text":")" + prefix() + "lobby|" + std::to_string(k) + R"("})");
    }
    wait("delivering every message and closing every hostile client", [&] {
        const bool flooded = floodStep();
        const bool hostile_closed =
            std::all_of(hostile_.begin(), hostile_.end(), [](const Slot& slot) { return slot.client->closed(); });
        const bool delivered = lobby_.received >= options_.messages_per_sender &&
                               std::all_of(well_behaved_.begin(), well_behaved_.end(), [&](const Slot& slot) {
                                   return slot.received >= expectedFor(slot) || !slot.client || slot.client->closed();
                               });
        return flooded && hostile_closed && delivered;
    });
}

void SoakScenario::checkRound() {
    int short_clients = 0;
    for (const Slot& slot : well_behaved_) {
        if (slot.received != expectedFor(slot)) {
            if (++short_clients <= 5)
                error("client " + std::to_string(slot.index) + " got " + std::to_string(slot.received) + " of " +
                      std::to_string(expectedFor(slot)) + " messages");
        }
    }
    if (short_clients > 5) error(std::to_string(short_clients) + " clients in all did not get exactly their messages");
    if (lobby_.received != options_.messages_per_sender) error("the lobby sender missed its own messages");
    const std::uint16_t wanted[] = {0, 0, 0, 0, 1008, 1009, 1002};  // by role
    int slow_with_1008 = 0;
    for (const Slot& slot : hostile_) {
        const std::uint16_t code = slot.client->closeCode();
        if (slot.role == Slow) {
            // 1008 when it reads within the server's closing timeout; a reader
            // that comes back later finds the connection dropped without the
            // close frame (1006) -- still dropped for being slow if its leave was seen.
            slow_with_1008 += code == 1008;
            if (code == 1008 || (code == 1006 && slot.left)) continue;
        } else if (code == wanted[slot.role]) {
            continue;
        }
        error("hostile client (role " + std::to_string(slot.role) + ") closed with " + std::to_string(code) +
              ", expected " + std::to_string(wanted[slot.role]) +
              (slot.client->error().empty() ? "" : " (" + slot.client->error() + ")"));
    }
    if (options_.slow_readers > 0 && slow_with_1008 == 0) error("no slow reader saw its 1008 close frame");
}

void SoakScenario::closeSlot(Slot& slot, bool clean) {
    if (!slot.client || slot.client->closed()) return;
    slot.closing = true;
    if (clean)
        slot.client->closeCleanly();
    else
        slot.client->abort();
}

void SoakScenario::churn() {
    int n = 0;
    for (Slot& slot : well_behaved_)
        if ((slot.index * 7 + round_ * 13) % 100 < options_.churn_percent) closeSlot(slot, ++n % 2 == 0);
    closeSlot(flooder_, true);
    wait("churned clients closing", [&] {
        return flooder_.client->closed() && std::all_of(well_behaved_.begin(), well_behaved_.end(),
                                                        [](const Slot& s) { return !s.closing || s.client->closed(); });
    });
}

void SoakScenario::dropClosedHostile() {
    for (Slot& slot : hostile_)
        if (!slot.client->closed()) slot.client->abort();
    hostile_.clear();
}

void SoakScenario::disconnectAll() {
    int n = 0;
    for (Slot& slot : well_behaved_) closeSlot(slot, ++n % 2 == 0);
    closeSlot(lobby_, true);
    closeSlot(flooder_, true);
    wait("every client closing", [&] {
        auto closed = [](const Slot& s) { return !s.client || s.client->closed(); };
        return closed(lobby_) && closed(flooder_) && std::all_of(well_behaved_.begin(), well_behaved_.end(), closed);
    });
    for (Slot& slot : well_behaved_) slot.client.reset();
    lobby_.client.reset();
    flooder_.client.reset();
}

}  // namespace chatd::soak
