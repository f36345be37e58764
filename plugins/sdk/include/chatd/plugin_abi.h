/*
 * chatd plugin ABI, version 1: the one boundary between the chatd daemon (the
 * host) and a plugin (a shared object loaded with dlopen(RTLD_NOW|RTLD_LOCAL)).
 *
 * Pure C: plain structs, fixed-width integers, strings as pointer + length
 * (never NUL-terminated unless said so, always valid UTF-8 when they come from
 * the host). No C++ exception ever crosses this boundary; the C++ SDK
 * (chatd/plugin.hpp) catches them and returns CHATD_FAILED.
 *
 * Versioning. CHATD_PLUGIN_ABI_VERSION counts incompatible changes of this
 * header; it is separate from the product version. At load the host calls the
 * plugin's entry symbol with every ABI version it can serve; the plugin picks
 * one and returns its function table for it, or refuses. A struct that may
 * grow carries its size in `struct_size` (first field): a reader only touches
 * fields that lie inside that size. New fields are only ever appended.
 *
 * Threads. Hooks are called from the daemon's hub threads (several exist),
 * and shutdown/init/reload from the thread that (re)builds the pipeline or
 * releases the last reference to an old one. THE HOOKS OF ONE PLUGIN INSTANCE
 * ARE NEVER CALLED CONCURRENTLY, BUT MAY BE CALLED FROM DIFFERENT THREADS, one
 * after another (the host holds a mutex per instance). Two instances (two
 * `plugins:` entries, or the old and the new instance around a reload) may
 * run at the same time; state shared between instances (globals, a handed
 * over table) needs the plugin's own locking. Hooks should return quickly:
 * they run before the message is broadcast, on the thread that owns the room.
 * Four hooks run elsewhere, still never concurrently with the instance's other
 * hooks: on_connect on an HTTP server thread (before the WebSocket upgrade),
 * on_tick on a timer thread of the entry's own, on_control on the control socket's
 * thread, on_peer_message on a delivery thread of the pipeline's own. STATE
 * THAT on_connect SHARES WITH THE HUB HOOKS IS STILL SERIALISED BY THE HOST'S
 * PER-INSTANCE MUTEX, but state shared with threads the plugin
 * starts itself, or with other instances, needs the plugin's own locking.
 *
 * Acting. The services post, kick, disconnect and notice never act from inside
 * the calling hook: they queue the action onto the thread that owns the room
 * or the session and return at once (CHATD_OK = queued). So a hook may call
 * them freely; what they cause (a posted message passing the pipeline, a
 * leave) reaches the plugins later, as new hook calls.
 *
 * Reload. A reload (SIGHUP) never changes a running instance: the host builds
 * a complete new pipeline beside the old one and swaps it in only if every
 * plugin initialised; messages in flight finish on the old pipeline, then the
 * old instances get `shutdown`. For an entry with the same name and file as
 * before, the host creates the new instance with `reload` (instead of `init`)
 * and passes the old instance, so the plugin can carry state over (counters,
 * rate-limit buckets). The old instance is locked while `reload` runs and must
 * be left usable: it keeps serving in-flight messages until its shutdown.
 * Files are reopened simply by opening them in the new instance (logrotate).
 *
 * OWNERSHIP notes on every pointer say who owns the memory and how long it is
 * valid. "Host-owned" memory must never be freed or kept by the plugin past
 * the stated time; "plugin-owned" memory is never freed by the host.
 */
#ifndef CHATD_PLUGIN_ABI_H
#define CHATD_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHATD_PLUGIN_ABI_VERSION 1u

/* Name of the one symbol a plugin exports (type: chatd_plugin_entry_fn). */
#define CHATD_PLUGIN_ENTRY_SYMBOL "chatd_plugin_entry"

/* A string: `size` bytes at `data` (not NUL-terminated). data may be NULL
 * when size is 0. OWNERSHIP: stated where the string appears. */
typedef struct chatd_str {
    const char* data;
    size_t size;
} chatd_str;

/* A host-provided buffer the plugin writes a one-line error message into.
 * OWNERSHIP: host-owned; the plugin writes at most `capacity` bytes to `data`
 * (no NUL needed) and sets `size`; valid only during the hook call. */
typedef struct chatd_error_buf {
    char* data;
    size_t capacity;
    size_t size;
} chatd_error_buf;

/* Return status of every hook and of some host services. */
typedef int32_t chatd_status;
#define CHATD_OK 0
#define CHATD_FAILED 1

/* Verdict kinds of on_message. */
#define CHATD_VERDICT_CONTINUE 0 /* pass the message on (maybe with replaced text) */
#define CHATD_VERDICT_DROP 1     /* discard it silently; nobody is told */
#define CHATD_VERDICT_REJECT 2   /* discard it; the sender gets an error with `reason` */

/* Verdict kinds of on_connect and on_join_request (chatd_admission.kind). */
#define CHATD_ADMIT 0  /* let it in (the next plugin decides next) */
#define CHATD_REFUSE 1 /* refuse: HTTP 403 for a connection, error `forbidden` (or `code`) for a join */

/* Close codes of chatd_host_api.disconnect. */
#define CHATD_CLOSE_DISCONNECTED 4000 /* removed by an operator or plugin; the client may reconnect */
#define CHATD_CLOSE_BANNED 4003       /* banned; the client must not reconnect by itself */

/* Log levels of chatd_host_api.log (the same order as spdlog's). */
#define CHATD_LOG_TRACE 0
#define CHATD_LOG_DEBUG 1
#define CHATD_LOG_INFO 2
#define CHATD_LOG_WARN 3
#define CHATD_LOG_ERROR 4
#define CHATD_LOG_CRITICAL 5

/* The verdict of on_message, and the final verdict shown to on_verdict.
 * The host zero-initialises it (CONTINUE) and sets struct_size before the call.
 * `code`: "rejected", "rate_limited" or (chatd 0.2) "muted" for REJECT
 * (anything else or empty is sent as "rejected"); ignored otherwise. `reason`: text for the sender
 * (REJECT) and the log. OWNERSHIP of code/reason data: written by on_message:
 * plugin-owned, valid until the next hook call on the same instance (the host
 * copies them at once); passed to on_verdict: host-owned, valid during it. */
typedef struct chatd_verdict {
    uint32_t struct_size;
    int32_t kind; /* CHATD_VERDICT_* */
    chatd_str code;
    chatd_str reason;
} chatd_verdict;

/* Opaque handles: the plugin only passes them back to host services.
 * OWNERSHIP: host-owned. A chatd_host* is valid from the init/reload call that
 * received it until shutdown returns (any thread may use it in that time). A
 * chatd_message* is valid only during the hook call that received it. */
typedef struct chatd_host chatd_host;
typedef struct chatd_message chatd_message;

/* A session entering (on_join) or leaving (on_leave) a room. OWNERSHIP: the
 * struct and its strings are host-owned, valid during the hook call only. */
typedef struct chatd_session_event {
    uint32_t struct_size;
    uint64_t session_id; /* host-internal id; what `reply` takes */
    chatd_str session;   /* the session id as clients see it */
    chatd_str room;
    chatd_str nick;
} chatd_session_event;

/* A WebSocket upgrade request, before it is accepted (on_connect).
 * OWNERSHIP: host-owned, valid during the hook call only. */
typedef struct chatd_connect_event {
    uint32_t struct_size;
    chatd_str address;     /* the peer's address ("127.0.0.1", "::1"; the proxy's client when trusted) */
    chatd_str origin;      /* the Origin header ("" when absent) */
    chatd_str path;        /* the request path ("/", "/ws") */
    chatd_str mode;        /* "json" (chatd.v1 sub-protocol) or "raw" */
    chatd_str claims_json; /* the verified token's claims as a JSON object; "" when auth is off */
} chatd_connect_event;

/* A session asking to join a room (on_join_request), before any other check
 * of the room's. OWNERSHIP: host-owned, valid during the hook call only. */
typedef struct chatd_join_request {
    uint32_t struct_size;
    uint64_t session_id; /* host-internal id (what kick/disconnect/notice take) */
    chatd_str session;   /* the session id as clients see it */
    chatd_str room;
    chatd_str nick;        /* the nick asked for ("" when the host will pick a guest nick) */
    chatd_str address;     /* as in chatd_connect_event */
    chatd_str claims_json; /* as in chatd_connect_event */
} chatd_join_request;

/* The verdict of on_connect and on_join_request. The host zero-initialises it
 * (CHATD_ADMIT) and sets struct_size. `reason`: for CHATD_REFUSE, the text the
 * client gets (the 403 body, the error's reason) and the log's; a refusal
 * with no reason is sent as "refused by <instance name>". OWNERSHIP of reason
 * data: plugin-owned, valid until the next hook call on the same instance
 * (the host copies it at once). */
typedef struct chatd_admission {
    uint32_t struct_size;
    int32_t kind; /* CHATD_ADMIT or CHATD_REFUSE */
    chatd_str reason;
    /* ---- appended in chatd 0.2 (write it only when struct_size covers it) ----
     * The error code a refused join gets: "forbidden" (also when empty or
     * anything else) or "banned" (the protocol's code for a moderation ban).
     * Ignored by on_connect (always HTTP 403). OWNERSHIP: as `reason`. */
    chatd_str code;
} chatd_admission;

/* What the host knows of a session (chatd_host_api.session_info).
 * OWNERSHIP: the strings are host-owned, valid until the same thread calls
 * session_info again or the calling hook returns, whichever comes first. */
typedef struct chatd_session_info {
    uint32_t struct_size;
    chatd_str session;      /* the session id as clients see it */
    chatd_str nick;         /* "" before its first join */
    chatd_str room;         /* the room it is in, "" when none */
    chatd_str address;      /* as in chatd_connect_event */
    chatd_str mode;         /* "json" or "raw" */
    int64_t connected_ms;   /* when it connected, ms since the Unix epoch */
    chatd_str claims_json;  /* as in chatd_connect_event */
} chatd_session_info;

/* The answer of on_control. The host zero-initialises it and sets
 * struct_size; the plugin sets `json` to one JSON value (an object, a list, a
 * string...) that chatdctl prints; empty means `null`. OWNERSHIP of json
 * data: plugin-owned, valid until the next hook call on the same instance
 * (the host copies it at once). */
typedef struct chatd_control_result {
    uint32_t struct_size;
    chatd_str json;
} chatd_control_result;

/* Services the host offers. OWNERSHIP: the table is host-owned and valid as
 * long as the chatd_host* it came with. Every chatd_str a service returns is
 * host-owned and valid during the current hook call only; every chatd_str the
 * plugin passes in is copied by the host before the service returns. */
typedef struct chatd_host_api {
    uint32_t struct_size;
    /* Log `text` at `level` into the daemon's log, by a logger named after the
     * plugin instance. Any thread, any time the chatd_host* is valid. */
    void (*log)(chatd_host* host, int32_t level, chatd_str text);
    /* Read the message being processed. */
    chatd_str (*message_text)(const chatd_message* msg);
    chatd_str (*message_room)(const chatd_message* msg);
    chatd_str (*message_nick)(const chatd_message* msg);
    chatd_str (*message_session)(const chatd_message* msg);   /* as clients see it */
    uint64_t (*message_session_id)(const chatd_message* msg); /* for `reply` */
    /* Replace the message text for the next plugins and the room (the host
     * copies it). Only during on_message. CHATD_FAILED (text unchanged) when
     * the text is not valid UTF-8 or the call comes from another hook. */
    chatd_status (*message_set_text)(chatd_message* msg, chatd_str text);
    /* Send `text` (valid UTF-8) to one session only, as a notice from this
     * plugin. Any thread. CHATD_FAILED for invalid UTF-8. Delivery is best
     * effort (the session may be gone). */
    chatd_status (*reply)(chatd_host* host, uint64_t session_id, chatd_str text);

    /* ---- appended in chatd 0.2 (check struct_size before use) ---- */

    /* Who wrote the message being processed: "" for a member, "plugin" for a
     * plugin's post, "admin" for an operator's `chatdctl say` (their
     * message_session_id is 0 and message_nick the `from` name). */
    chatd_str (*message_origin)(const chatd_message* msg);
    /* What the host knows of a session (see chatd_session_info). Any hook or
     * thread. CHATD_FAILED when the session is gone (or never was). */
    chatd_status (*session_info)(chatd_host* host, uint64_t session_id, chatd_session_info* out);
    /* The session that holds `nick` in `room` on this instance (case-insensitive,
     * as nicks compare), into *session_id. CHATD_FAILED when none does. */
    chatd_status (*find_session)(chatd_host* host, chatd_str room, chatd_str nick, uint64_t* session_id);
    /* Post `text` into `room` as `from` (a bot's name, nick-shaped: 1-32
     * ASCII letters, digits, _ - .; it is shown with a badge and cannot clash
     * with a member's nick). Queued onto the
     * room's owning thread; the message then passes the plugins AFTER this one
     * in the pipeline, gets a seq, goes into history and across instances and
     * reaches every member with origin "plugin". Any thread, any hook.
     * CHATD_FAILED (nothing queued) for invalid UTF-8, an empty text, one
     * over chat.max_text_bytes, a `from` that is not nick-shaped, a room name
     * the protocol refuses, or when this instance posts faster than the host
     * allows (20 a second, bursts of 100: a post loop). A room with no members
     * still gets the message (history). */
    chatd_status (*post)(chatd_host* host, chatd_str room, chatd_str from, chatd_str text);
    /* Remove a session from `room`: it gets a `kicked` event (by: this
     * instance's name) and stays connected; the room sees a leave with reason
     * "kicked". Queued; CHATD_FAILED only for invalid arguments. A session no
     * longer in the room is left alone. */
    chatd_status (*kick)(chatd_host* host, uint64_t session_id, chatd_str room, chatd_str reason);
    /* Close a session's connection with `code` (CHATD_CLOSE_DISCONNECTED or
     * CHATD_CLOSE_BANNED) and `reason` as the close reason (cut to 123 bytes).
     * Queued; CHATD_FAILED for another code or invalid UTF-8. */
    chatd_status (*disconnect)(chatd_host* host, uint64_t session_id, int32_t code, chatd_str reason);
    /* The same as reply (kept under the name the SDK uses). */
    chatd_status (*notice)(chatd_host* host, uint64_t session_id, chatd_str text);
    /* Add `delta` to (metric_add) or set (metric_set) this instance's own
     * metric, exported on /metrics as chatd_plugin_custom{plugin, name, label}.
     * `name` [a-z0-9_]{1,64}; `label` any UTF-8 up to 128 bytes ("" allowed).
     * At most 1,000 series per instance: beyond, CHATD_FAILED. Any thread. */
    chatd_status (*metric_add)(chatd_host* host, chatd_str name, chatd_str label, double delta);
    chatd_status (*metric_set)(chatd_host* host, chatd_str name, chatd_str label, double value);

    /* ---- appended in chatd 0.2, instances (check struct_size before use:
     * a daemon built before these has a shorter table) ---- */

    /* Send `payload` (any bytes, at most CHATD_BROADCAST_MAX_BYTES) to the
     * plugin instance of the same entry name on every OTHER chatd instance
     * sharing rooms through the Redis bus; there it arrives through
     * on_peer_message. Queued; any thread, any hook. CHATD_OK: handed to the
     * bus (delivery is best effort: an instance that is down misses it).
     * CHATD_FAILED (nothing sent): rooms are not shared (no Redis bus, or
     * Redis is down right now), the payload is too big, or the daemon's
     * queue is full. A plugin that must agree across instances resends its
     * state when sending works again. */
    chatd_status (*broadcast)(chatd_host* host, chatd_str payload);
    /* As kick, for a ban from the room: the room sees the leave with reason
     * "banned" instead of "kicked" (the session gets its `kicked` event as
     * with kick). Across instances the reason travels with the leave. */
    chatd_status (*kick_banned)(chatd_host* host, uint64_t session_id, chatd_str room, chatd_str reason);
} chatd_host_api;

/* The largest payload chatd_host_api.broadcast takes. */
#define CHATD_BROADCAST_MAX_BYTES 65536u

/* What init and reload receive. OWNERSHIP: the struct, its strings and
 * `api` pointer are host-owned; the strings are valid during the call only
 * (copy what you keep); `api` and `host` as stated at chatd_host_api. */
typedef struct chatd_plugin_init_args {
    uint32_t struct_size;
    const chatd_host_api* api;
    chatd_host* host;
    chatd_str instance_name; /* the entry's `name:` in the YAML (also the logger's name) */
    chatd_str config_yaml;   /* the entry's `config:` subtree as a YAML document ("~" if absent) */
    /* ---- appended in chatd 0.2 ---- */
    /* The daemon's state directory (config `state_dir`: $STATE_DIRECTORY
     * under systemd, /var/lib/chatd from the package): a plugin keeps its
     * files there, under a name of its own (e.g. its instance name). */
    chatd_str state_dir;
} chatd_plugin_init_args;

/* The plugin's function table. OWNERSHIP: plugin-owned, static: valid until
 * the library is unloaded. Every `error` argument: see chatd_error_buf. An
 * instance pointer is plugin-owned, created by init/reload, freed by shutdown.
 * Optional hooks may be NULL. */
typedef struct chatd_plugin_api {
    uint32_t struct_size;
    uint32_t abi_version;  /* the version the plugin picked: one the host offered */
    chatd_str plugin_name; /* the plugin's own name (static), for logs */

    /* Create an instance from the config. On failure: write the reason (one
     * line, e.g. "key 'rate' must be > 0") to `error`, return CHATD_FAILED and
     * keep nothing: the daemon refuses the whole config. Required. */
    chatd_status (*init)(const chatd_plugin_init_args* args, void** instance_out, chatd_error_buf* error);
    /* Create the instance that replaces `previous` (same entry, same file) with
     * a new config, carrying over what the plugin wants. OWNERSHIP: `previous`
     * is the plugin's own running instance, locked by the host during the call;
     * it must stay usable (it still serves in-flight messages until its
     * shutdown), so copy from it. Optional: when NULL the host calls init. */
    chatd_status (*reload)(void* previous, const chatd_plugin_init_args* args, void** instance_out,
                           chatd_error_buf* error);
    /* Decide on one message: set verdict->kind (and code/reason), maybe call
     * message_set_text. CHATD_FAILED: the entry's on_error policy decides
     * (continue or drop) and the failure is logged and counted. Optional. */
    chatd_status (*on_message)(void* instance, chatd_message* msg, chatd_verdict* verdict, chatd_error_buf* error);
    /* Observe the pipeline's final decision on a message (called on every
     * instance that has this hook, after all on_message calls, whatever its
     * position in the list): final text, verdict, and `decided_by` (the
     * instance name that dropped/rejected it, empty for continue; host-owned,
     * valid during the call). Cannot change anything. Optional. */
    chatd_status (*on_verdict)(void* instance, const chatd_message* msg, const chatd_verdict* final_verdict,
                               chatd_str decided_by, chatd_error_buf* error);
    /* A session joined / left a room. Optional. */
    chatd_status (*on_join)(void* instance, const chatd_session_event* event, chatd_error_buf* error);
    chatd_status (*on_leave)(void* instance, const chatd_session_event* event, chatd_error_buf* error);
    /* Stop background work, release everything, free the instance. Called
     * exactly once per instance, after its last hook; must not fail. After it
     * returns the host may dlclose the library. Required. */
    void (*shutdown)(void* instance);

    /* ---- appended in chatd 0.2 (a plugin built against 0.1 has a smaller
     * struct_size: the host treats these hooks as absent) ---- */

    /* Admission of a WebSocket connection, before the upgrade (an HTTP server
     * thread; see Threads). Set verdict->kind CHATD_REFUSE to answer 403 with
     * the reason. CHATD_FAILED: on_error decides (continue admits, drop
     * refuses). Optional. */
    chatd_status (*on_connect)(void* instance, const chatd_connect_event* event, chatd_admission* verdict,
                               chatd_error_buf* error);
    /* Admission of a join (the room's owning thread), before the room's own
     * checks. CHATD_REFUSE: the client gets error `forbidden` (or `banned`,
     * see chatd_admission.code) with the reason.
     * Runs only for rooms the entry's `rooms:` covers. Optional. */
    chatd_status (*on_join_request)(void* instance, const chatd_join_request* request, chatd_admission* verdict,
                                    chatd_error_buf* error);
    /* Called every `tick:` of the entry (100ms to 24h; no `tick:` = never)
     * on a timer thread of the entry's own. A tick that runs long delays
     * only this instance: its hooks on other threads wait at most 100 ms for
     * it, then fail (on_error applies); a missed tick is not made up. Optional. */
    chatd_status (*on_tick)(void* instance, chatd_error_buf* error);
    /* A command from the operator: `chatdctl plugin NAME COMMAND [ARGS...]`.
     * `args_json` is a JSON list of strings. Set result->json, or write the
     * error and return CHATD_FAILED (chatdctl exits 1 with it). Runs on the
     * control socket's thread. Optional (absent: "plugin has no commands"). */
    chatd_status (*on_control)(void* instance, chatd_str command, chatd_str args_json, chatd_control_result* result,
                               chatd_error_buf* error);

    /* ---- appended in chatd 0.2, instances (a smaller struct_size: absent) ---- */

    /* A payload the instance of the same entry name on another chatd
     * instance sent with chatd_host_api.broadcast. `from_instance` names that
     * daemon (its bus instance id, for logs). Runs on a delivery thread of the
     * pipeline's own (never the bus's), one payload at a time in the order
     * they arrived, never concurrently with the instance's other hooks.
     * Payloads that arrive while the instance is busy wait in a bounded queue
     * (beyond it they are dropped and counted as errors); those still queued
     * when the pipeline is replaced by a reload are dropped. CHATD_FAILED is
     * logged and counted only. OWNERSHIP: both strings host-owned, valid
     * during the call only. Optional. */
    chatd_status (*on_peer_message)(void* instance, chatd_str from_instance, chatd_str payload,
                                    chatd_error_buf* error);
} chatd_plugin_api;

/* The entry symbol (CHATD_PLUGIN_ENTRY_SYMBOL). `offered` lists the ABI
 * versions the host can serve (`offered_count` of them). Returns the table for
 * the version the plugin picked, or NULL to refuse, after storing in
 * *plugin_abi the ABI version it was built for (so the host can name both in
 * its error). OWNERSHIP: `offered` and `plugin_abi` are host-owned, valid
 * during the call; the returned table: see chatd_plugin_api. May be called more
 * than once (once per `plugins:` entry using the library). */
typedef const chatd_plugin_api* (*chatd_plugin_entry_fn)(const uint32_t* offered, size_t offered_count,
                                                         uint32_t* plugin_abi);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CHATD_PLUGIN_ABI_H */
