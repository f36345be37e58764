// SoakScenario: the load the soak test puts on a running chatd, one round
// at a time. A round (re)connects every well-behaved client (JSON members in
// many rooms, raw clients in the default room), adds hostile ones (slow
// readers that must be closed with 1008, oversized frames that must be
// closed with 1009, unmasked frames that must be closed with 1002), has
// senders post into every room, checks that every well-behaved client got
// every message of its room exactly once and in order, then churns a part
// of the clients (clean closes and abrupt drops).
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "load_client.h"

namespace chatd::soak {

struct ScenarioOptions {
    int clients = 3000;    // well-behaved clients (JSON members + raw)
    int raw_percent = 10;  // share of them in raw (tutorial) mode
    int rooms = 30;
    int senders_per_room = 2;
    int messages_per_sender = 5;
    int slow_readers = 20;      // per round
    int oversize = 20;          // per round
    int violations = 10;        // per round
    int churn_percent = 33;     // of the well-behaved clients, per round
    int source_addresses = 64;  // 127.0.0.1 .. 127.0.0.N as client source addresses
    int max_handshakes_in_flight = 64;
    std::size_t max_message_bytes = 16384;  // the daemon's websocket.max_message_bytes
    std::chrono::seconds phase_timeout{60};
    int expect_extra = 0;  // self-test only: expect this many more messages per client than are sent
};

class SoakScenario : public ClientListener {
public:
    SoakScenario(ScenarioOptions options, std::uint16_t port);

    // One full round; `churn` false keeps every well-behaved client connected.
    void runRound(int round, bool churn);
    // Closes every client (half cleanly, half abruptly) and waits until all are closed.
    void disconnectAll();

    const std::vector<std::string>& errors() const { return errors_; }
    std::uint64_t deliveries() const { return deliveries_; }
    std::uint64_t connectionsOpened() const { return opened_; }

    void onOpen(LoadClient& client) override;
    void onJson(LoadClient& client, const json::Value& event) override;
    void onBinary(LoadClient& client, std::string_view payload) override;
    void onClosed(LoadClient& client) override;

private:
    enum Role { Member, Raw, Lobby, Flooder, Slow, Oversize, Violation };
    struct Slot {
        Role role = Member;
        int index = 0;
        int generation = 0;
        std::unique_ptr<LoadClient> client;
        bool opened = false;  // the 101 arrived
        bool welcomed = false;
        bool closing = false;  // we initiated the close
        bool left = false;     // slow readers: the room saw it leave (the server dropped it)
        std::uint64_t last_seq = 0;
        int received = 0;  // messages of the current round
    };

    void error(std::string text);
    Slot& slotOf(const LoadClient& client);
    void connect(Slot& slot);
    void pump();
    bool wait(const char* phase, const std::function<bool()>& done);
    void connectWellBehaved();
    void syncLobby();
    void startHostile();
    void sendMessages();
    bool floodStep();
    void checkRound();
    void churn();
    void closeSlot(Slot& slot, bool clean);
    void dropClosedHostile();
    int expectedFor(const Slot& slot) const;
    std::string prefix() const { return "r" + std::to_string(round_) + "|"; }

    ScenarioOptions options_;
    sockaddr_in server_{};
    Reactor reactor_;
    int round_ = 0;
    int next_id_ = 0;
    int members_ = 0;
    std::vector<Slot> well_behaved_;  // members then raw clients
    Slot lobby_;
    Slot flooder_;
    std::vector<Slot> hostile_;  // slow readers, oversize, violations of this round
    std::deque<Slot*> to_connect_;
    int in_flight_ = 0;
    int lobby_users_ = -1;
    int slow_left_ = 0;
    int flood_sent_ = 0;
    int flood_echoed_ = 0;
    bool slow_resumed_ = false;
    std::uint64_t deliveries_ = 0;
    std::uint64_t opened_ = 0;
    std::vector<std::string> errors_;
};

}  // namespace chatd::soak
