#include "bus/redis_history.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <string_view>

#include "bus/record.h"
#include "bus/redis_connection.h"

namespace chatd::bus {

namespace {

// The value of `name` in an entry's field list, "" when absent.
std::string_view field(const redisReply& fields, std::string_view name) {
    for (std::size_t i = 0; i + 1 < fields.elements; i += 2)
        if (replyText(fields.element[i]) == name) return replyText(fields.element[i + 1]);
    return {};
}

}  // namespace

HistoryAnswer historyPage(const redisReply& entries, const HistoryRequest& request, std::int64_t oldest_ms) {
    HistoryAnswer answer{.token = request.token, .messages = {}, .more = false};
    if (entries.type != REDIS_REPLY_ARRAY) return answer;
    for (std::size_t i = 0; i < entries.elements; ++i) {  // newest first
        const redisReply* entry = entries.element[i];
        if (!entry || entry->type != REDIS_REPLY_ARRAY || entry->elements != 2) continue;
        const redisReply* fields = entry->element[1];
        if (!fields || fields->type != REDIS_REPLY_ARRAY) continue;
        const std::string_view id = replyText(entry->element[0]);  // "<ms>-<n>"
        const auto id_ms = parseNumber<std::uint64_t>(id.substr(0, id.find('-')));
        if (oldest_ms > 0 && id_ms && static_cast<std::int64_t>(*id_ms) < oldest_ms) break;
        const auto seq = parseNumber<std::uint64_t>(field(*fields, "s"));
        if (!seq || field(*fields, "e") != request.epoch) continue;
        if (request.before && *seq >= *request.before) continue;
        if (answer.messages.size() == request.limit) {
            answer.more = true;
            break;
        }
        if (auto message = decodeMessageRecord(field(*fields, "m"))) answer.messages.push_back(std::move(*message));
    }
    std::reverse(answer.messages.begin(), answer.messages.end());
    return answer;
}

}  // namespace chatd::bus
