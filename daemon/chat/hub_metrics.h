// HubMetrics: where the chat layer reports what /metrics and the limit log
// want to know (messages in and ignored, deliveries, fan-out latency, room limits). Set
// once before the hub starts; every pointer may be null (no metrics wanted).
#pragma once

namespace chatd::metrics {
class Counter;
class Histogram;
}  // namespace chatd::metrics
namespace chatd::limits {
class LimitEvents;
}

namespace chatd::chat {

struct HubMetrics {
    metrics::Counter* received_raw = nullptr;     // chat messages from raw clients that reached their room
    metrics::Counter* received_json = nullptr;    // ... from chatd.v1 clients
    metrics::Counter* delivered = nullptr;        // one per recipient of each chat message
    metrics::Histogram* fanout_seconds = nullptr; // message taken up by its shard -> frame queued on one IO loop
    limits::LimitEvents* limit_events = nullptr;  // limits.max_rooms / limits.max_room_users hits
    // Messages dropped without an answer (chatd_messages_ignored_total{reason}).
    metrics::Counter* ignored_not_utf8 = nullptr;       // raw binary frames that are not UTF-8
    metrics::Counter* ignored_size = nullptr;           // raw frames empty or over chat.max_text_bytes
    metrics::Counter* ignored_plugin_output = nullptr;  // the plugins made the text empty or not UTF-8
};

}  // namespace chatd::chat
