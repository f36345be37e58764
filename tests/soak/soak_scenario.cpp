#include "soak_scenario.h"

#include <arpa/inet.h>

#include "ws/frame_encoder.h"

namespace chatd::soak {

namespace {

constexpr int kRoleFactor = 10'000'000;
constexpr std::size_t kMaxErrors = 50;

std::string str(const json::Value& object, std::string_view field) {
    const json::Value* value = object.find(field);
    return value && value->asString() ? *value->asString() : std::string();
}

}  // namespace

SoakScenario::SoakScenario(ScenarioOptions options, std::uint16_t port) : options_(options) {
    server_.sin_family = AF_INET;
    server_.sin_port = htons(port);
    server_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    members_ = options_.clients - options_.clients * options_.raw_percent / 100;
    well_behaved_.resize(static_cast<std::size_t>(options_.clients));
    for (int i = 0; i < options_.clients; ++i) {
        well_behaved_[i].role = i < members_ ? Member : Raw;
        well_behaved_[i].index = i;
    }
    lobby_.role = Lobby;
    flooder_.role = Flooder;
}

void SoakScenario::error(std::string text) {
    if (errors_.size() < kMaxErrors) errors_.push_back("round " + std::to_string(round_) + ": " + std::move(text));
}

SoakScenario::Slot& SoakScenario::slotOf(const LoadClient& client) {
    const int role = client.tag / kRoleFactor, index = client.tag % kRoleFactor;
    if (role == Member || role == Raw) return well_behaved_[static_cast<std::size_t>(index)];
    if (role == Lobby) return lobby_;
    if (role == Flooder) return flooder_;
    return hostile_[static_cast<std::size_t>(index)];
}

void SoakScenario::connect(Slot& slot) {
    ++slot.generation;
    slot.opened = slot.welcomed = slot.closing = slot.left = false;
    slot.received = 0;
    slot.client = std::make_unique<LoadClient>(reactor_, *this, next_id_++);
    slot.client->tag =
        slot.role * kRoleFactor + (slot.role == Member || slot.role == Raw || slot.role >= Slow ? slot.index : 0);
    to_connect_.push_back(&slot);
}

// Starts queued connects while fewer than max_handshakes_in_flight are pending
// (the daemon's HTTP queue is bounded; a burst beyond it would be refused).
void SoakScenario::pump() {
    while (!to_connect_.empty() && in_flight_ < options_.max_handshakes_in_flight) {
        Slot& slot = *to_connect_.front();
        to_connect_.pop_front();
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr =
            htonl(INADDR_LOOPBACK + static_cast<std::uint32_t>(slot.index % options_.source_addresses));
        const int receive_buffer = slot.role == Slow ? 4096 : 0;
        const std::string protocol = slot.role == Raw ? "" : "chatd.v1";
        ++in_flight_;
        if (!slot.client->start(server_, options_.source_addresses > 1 ? &source : nullptr, receive_buffer, protocol))
            error("cannot start a connection: " + slot.client->error());
    }
}

bool SoakScenario::wait(const char* phase, const std::function<bool()>& done) {
    const bool ok = reactor_.runUntil(
        [&] {
            pump();
            return done();
        },
        options_.phase_timeout);
    if (!ok) error(std::string("timed out: ") + phase);
    return ok;
}

void SoakScenario::onOpen(LoadClient& client) {
    --in_flight_;
    ++opened_;
    Slot& slot = slotOf(client);
    slot.opened = true;
    const std::string gen = std::to_string(slot.generation);
    switch (slot.role) {
        case Member:
            client.sendText(R"({"type":"join","room":"room)" + std::to_string(slot.index % options_.rooms) +
                            R"(","nick":"m)" + std::to_string(slot.index) + "g" + gen + R"("})");
            break;
        case Raw:
            slot.welcomed = true;
            break;  // joins the default room by itself
        case Lobby:
            client.sendText(R"({"type":"join","nick":"lobby-sender"})");
            break;
        case Flooder:
            client.sendText(R"({"type":"join","room":"slow","nick":"flooder)" + gen + R"("})");
            break;
        case Slow:
            client.sendText(R"({"type":"join","room":"slow","nick":"s)" + std::to_string(slot.index) + "r" +
                            std::to_string(round_) + R"("})");
            break;
        case Oversize:  // one byte over the limit: the header alone tells the server
            client.sendRaw(ws::encodeClientFrame(ws::Opcode::Text, std::string(options_.max_message_bytes + 1, 'x')));
            break;
        case Violation: {
            ws::ClientFrameOptions unmasked;
            unmasked.mask = false;
            client.sendRaw(ws::encodeClientFrame(ws::Opcode::Text, "unmasked", unmasked));
            break;
        }
    }
}

void SoakScenario::onJson(LoadClient& client, const json::Value& event) {
    Slot& slot = slotOf(client);
    const std::string type = str(event, "type");
    if (type == "welcome") {
        slot.welcomed = true;
        slot.last_seq = event.find("seq") && event.find("seq")->asUint() ? *event.find("seq")->asUint() : 0;
        // `count` (protocol 1.1): the welcome's users list stops at chat.welcome_users.
        if (slot.role == Lobby && event.find("count") && event.find("count")->asUint())
            lobby_users_ = static_cast<int>(*event.find("count")->asUint());
        else if (slot.role == Lobby && event.find("users") && event.find("users")->asArray())
            lobby_users_ = static_cast<int>(event.find("users")->asArray()->size());
        if (slot.role == Slow) client.setReading(false);  // from now on it never reads (until checked)
    } else if (type == "message") {
        const std::uint64_t seq = event.find("seq") && event.find("seq")->asUint() ? *event.find("seq")->asUint() : 0;
        if (slot.role == Member && seq != slot.last_seq + 1)
            error("member " + std::to_string(slot.index) + " got seq " + std::to_string(seq) + " after " +
                  std::to_string(slot.last_seq));
        slot.last_seq = seq;
        if (str(event, "text").rfind(prefix(), 0) == 0) {
            ++slot.received;
            ++deliveries_;
        }
        if (slot.role == Flooder) ++flood_echoed_;
    } else if (type == "presence") {
        const std::string nick = str(event, "nick");
        if (slot.role == Flooder && str(event, "event") == "leave" && nick.rfind("s", 0) == 0) {
            ++slow_left_;
            // Its close has begun: read now, before the server's close timeout gives up on it.
            const auto index = static_cast<std::size_t>(std::stoul(nick.substr(1)));
            if (index < hostile_.size() && hostile_[index].client) {
                hostile_[index].left = true;
                hostile_[index].client->setDiscarding(true);  // only its close code matters now
                hostile_[index].client->setReading(true);
            }
        }
    } else if (type == "error") {
        error("client " + std::to_string(slot.index) + " got error " + str(event, "code") + ": " +
              str(event, "reason"));
    }
}

void SoakScenario::onBinary(LoadClient& client, std::string_view payload) {
    Slot& slot = slotOf(client);
    if (slot.role != Raw) return error("binary frame to a JSON client");
    if (payload.rfind(prefix(), 0) == 0) {
        ++slot.received;
        ++deliveries_;
    }
}

void SoakScenario::onClosed(LoadClient& client) {
    Slot& slot = slotOf(client);
    if (!slot.opened) {
        --in_flight_;
        return error("upgrade failed (role " + std::to_string(slot.role) + "): " + client.error());
    }
    if (slot.closing || slot.role >= Slow) return;  // we asked for it, or it is a hostile client (checked later)
    error("client " + std::to_string(slot.index) + " (role " + std::to_string(slot.role) + ") lost: close " +
          std::to_string(client.closeCode()) + " " + client.error());
}

}  // namespace chatd::soak
