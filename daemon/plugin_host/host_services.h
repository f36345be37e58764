// The daemon side of the plugin ABI's chatd_host_api: what a chatd_host* and
// a chatd_message* point to, and the table of services handed to plugins.
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "chatd/plugin_abi.h"
#include "plugin_host/pipeline.h"

namespace chatd::plugin_host {

// A plugin's log line or error may quote what a client sent: it is logged as
// util::LogText (escaped), cut at this many bytes.
inline constexpr std::size_t kPluginLogTextBytes = 1024;

// What a chatd_host* points to: one plugin instance's link to the daemon.
// Lives from before init until after shutdown returns.
struct HostContext {
    std::string name;                        // the entry's name
    std::shared_ptr<spdlog::logger> logger;  // named after the entry
    ReplyFn reply;
};

// What a chatd_message* points to during one hook call.
struct MessageHandle {
    MessageContext* msg;
    bool writable;          // true only during on_message
    bool replaced = false;  // set_text was called during this hook
    std::string original;   // the text before the first set_text (to undo a failed hook)
};

// The service table (static, valid for the whole process).
const chatd_host_api* hostServices();

inline chatd_host* toHandle(HostContext* ctx) { return reinterpret_cast<chatd_host*>(ctx); }
inline chatd_message* toHandle(MessageHandle* msg) { return reinterpret_cast<chatd_message*>(msg); }

}  // namespace chatd::plugin_host
