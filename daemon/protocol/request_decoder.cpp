// chatd.v1 request decoder: JSON text -> typed request or wire error.
#include "protocol/request_decoder.h"

#include "json/json_reader.h"
#include "protocol/events.h"
#include "protocol/names.h"

namespace chatd::protocol {
namespace {

using json::Value;

constexpr std::size_t kMaxEchoedBytes = 32;

// Code points in valid UTF-8: every byte that is not a continuation byte.
std::size_t countCodePoints(std::string_view utf8) {
    std::size_t n = 0;
    for (char c : utf8) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    }
    return n;
}

// A client-supplied string shortened for an error reason, cut on a code point boundary.
std::string shortened(std::string_view s) {
    if (s.size() <= kMaxEchoedBytes) return std::string(s);
    std::size_t cut = kMaxEchoedBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut)) + "...";
}

// Builds the answers; holds the id once it has been read.
class Decoder {
public:
    explicit Decoder(const Value& frame) : frame_(frame) {}

    std::variant<DecodedRequest, RequestError> run() {
        if (!readId()) return error_;
        const Value* type = frame_.find("type");
        if (!type) return badRequest("missing field 'type'");
        const std::string* name = type->asString();
        if (!name) return badRequest("field 'type' must be a string");
        if (*name == "join") return join();
        if (*name == "message") return message();
        if (*name == "nick") return nick();
        if (*name == "history") return history();
        if (*name == "users") return users();
        return badRequest("unknown type \"" + shortened(*name) + "\"");
    }

private:
    RequestError fail(std::string_view code, std::string reason) {
        error_ = RequestError{std::string(code), std::move(reason), id_};
        return error_;
    }
    RequestError badRequest(std::string reason) { return fail(error_code::kBadRequest, std::move(reason)); }
    DecodedRequest ok(Request request) { return DecodedRequest{std::move(request), id_}; }

    // The member, or nullptr when it is absent or null (optional fields).
    const Value* optionalMember(std::string_view key) const {
        const Value* v = frame_.find(key);
        return v && !v->isNull() ? v : nullptr;
    }

    bool readId() {
        const Value* v = optionalMember("id");
        if (!v) return true;
        const std::string* id = v->asString();
        if (!id) {
            badRequest("field 'id' must be a string");
            return false;
        }
        if (countCodePoints(*id) > kMaxIdCodePoints) {
            badRequest("field 'id' must be at most 64 characters");
            return false;
        }
        id_ = *id;
        return true;
    }

    // Reads an optional string member; false (with error_ set) on a wrong type.
    bool optionalString(std::string_view key, std::optional<std::string>& out) {
        const Value* v = optionalMember(key);
        if (!v) return true;
        const std::string* s = v->asString();
        if (!s) {
            badRequest("field '" + std::string(key) + "' must be a string");
            return false;
        }
        out = *s;
        return true;
    }

    // Reads a required string member; nullptr (with error_ set) when missing or not a string.
    const std::string* requiredString(std::string_view key) {
        const Value* v = frame_.find(key);
        if (!v) {
            badRequest("missing field '" + std::string(key) + "'");
            return nullptr;
        }
        const std::string* s = v->asString();
        if (!s) badRequest("field '" + std::string(key) + "' must be a string");
        return s;
    }

    bool readSince(std::optional<Since>& out) {
        const Value* v = optionalMember("since");
        if (!v) return true;
        if (!v->isObject()) {
            badRequest("field 'since' must be an object");
            return false;
        }
        const Value* epoch = v->find("epoch");
        if (!epoch || !epoch->isString()) {
            badRequest("field 'since.epoch' must be a string");
            return false;
        }
        const Value* seq = v->find("seq");
        auto seq_value = seq ? seq->asUint() : std::nullopt;
        if (!seq_value) {
            badRequest("field 'since.seq' must be a non-negative integer");
            return false;
        }
        out = Since{*epoch->asString(), *seq_value};
        return true;
    }

    std::variant<DecodedRequest, RequestError> join() {
        JoinRequest req;
        if (!optionalString("room", req.room) || !optionalString("nick", req.nick) || !readSince(req.since)) {
            return error_;
        }
        if (req.room && !isValidRoom(*req.room)) return invalidRoom();
        if (req.nick && !isValidNick(*req.nick)) return invalidNick();
        return ok(std::move(req));
    }

    std::variant<DecodedRequest, RequestError> message() {
        const std::string* text = requiredString("text");
        if (!text) return error_;
        if (text->empty()) return badRequest("field 'text' must not be empty");
        return ok(MessageRequest{*text});
    }

    std::variant<DecodedRequest, RequestError> nick() {
        const std::string* nick = requiredString("nick");
        if (!nick) return error_;
        if (!isValidNick(*nick)) return invalidNick();
        return ok(NickRequest{*nick});
    }

    // Reads an optional non-negative integer member; false (with error_ set) on a wrong type.
    bool optionalUint(std::string_view key, std::optional<std::uint64_t>& out) {
        const Value* v = optionalMember(key);
        if (!v) return true;
        out = v->asUint();
        if (!out) badRequest("field '" + std::string(key) + "' must be a non-negative integer");
        return out.has_value();
    }

    std::variant<DecodedRequest, RequestError> history() {
        HistoryRequest req;
        std::optional<std::uint64_t> limit;
        if (!optionalUint("before", req.before) || !optionalUint("limit", limit)) return error_;
        if (limit) {
            if (*limit < 1 || *limit > HistoryRequest::kMaxLimit)
                return badRequest("field 'limit' must be 1-" + std::to_string(HistoryRequest::kMaxLimit));
            req.limit = static_cast<std::size_t>(*limit);
        }
        return ok(req);
    }

    std::variant<DecodedRequest, RequestError> users() {
        UsersRequest req;
        std::optional<std::uint64_t> limit;
        if (!optionalString("after", req.after) || !optionalUint("limit", limit)) return error_;
        if (req.after && req.after->size() > kMaxNickLength)
            return badRequest("field 'after' must be at most " + std::to_string(kMaxNickLength) + " bytes");
        if (limit) {
            if (*limit < 1 || *limit > UsersRequest::kMaxLimit)
                return badRequest("field 'limit' must be 1-" + std::to_string(UsersRequest::kMaxLimit));
            req.limit = static_cast<std::size_t>(*limit);
        }
        return ok(std::move(req));
    }

    RequestError invalidNick() {
        return fail(error_code::kInvalidNick, "nick must be 1-32 characters: ASCII letters, digits, '_', '-', '.'");
    }
    RequestError invalidRoom() {
        return fail(error_code::kInvalidRoom,
                    "room must be 1-64 characters: ASCII letters, digits, '_', '-', '.', '#'");
    }

    const Value& frame_;
    std::optional<std::string> id_;
    RequestError error_;
};

}  // namespace

std::variant<DecodedRequest, RequestError> decodeRequest(std::string_view frame_text) {
    std::string parse_error;
    std::optional<Value> frame = json::parse(frame_text, parse_error);
    if (!frame) {
        return RequestError{std::string(error_code::kBadRequest), "not JSON: " + parse_error, std::nullopt};
    }
    if (!frame->isObject()) {
        return RequestError{std::string(error_code::kBadRequest), "frame must be a JSON object", std::nullopt};
    }
    return Decoder(*frame).run();
}

}  // namespace chatd::protocol
