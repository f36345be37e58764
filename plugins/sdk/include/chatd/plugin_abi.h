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

/* Log levels of chatd_host_api.log (the same order as spdlog's). */
#define CHATD_LOG_TRACE 0
#define CHATD_LOG_DEBUG 1
#define CHATD_LOG_INFO 2
#define CHATD_LOG_WARN 3
#define CHATD_LOG_ERROR 4
#define CHATD_LOG_CRITICAL 5

/* The verdict of on_message, and the final verdict shown to on_verdict.
 * The host zero-initialises it (CONTINUE) and sets struct_size before the call.
 * `code`: "rejected" or "rate_limited" for REJECT (anything else or empty is
 * sent as "rejected"); ignored otherwise. `reason`: text for the sender
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
} chatd_host_api;

/* What init and reload receive. OWNERSHIP: the struct, its strings and
 * `api` pointer are host-owned; the strings are valid during the call only
 * (copy what you keep); `api` and `host` as stated at chatd_host_api. */
typedef struct chatd_plugin_init_args {
    uint32_t struct_size;
    const chatd_host_api* api;
    chatd_host* host;
    chatd_str instance_name; /* the entry's `name:` in the YAML (also the logger's name) */
    chatd_str config_yaml;   /* the entry's `config:` subtree as a YAML document ("~" if absent) */
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
