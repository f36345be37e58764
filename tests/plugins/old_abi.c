/* A plugin built against chatd 0.1: its table ends before on_connect
 * (struct_size says so). The words after it are not part of its table; here
 * they hold a trap that aborts, so a host that read past struct_size would
 * crash the test. Appends " (0.1)" to every message. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "chatd/plugin_abi.h"

static const chatd_host_api* host_api;

static chatd_status init_hook(const chatd_plugin_init_args* args, void** instance_out, chatd_error_buf* error) {
    (void)error;
    host_api = args->api;
    *instance_out = NULL;
    return CHATD_OK;
}

static chatd_status message_hook(void* instance, chatd_message* msg, chatd_verdict* verdict, chatd_error_buf* error) {
    (void)instance, (void)verdict, (void)error;
    chatd_str text = host_api->message_text(msg);
    char buf[256];
    size_t n = text.size < 200 ? text.size : 200;
    memcpy(buf, text.data, n);
    memcpy(buf + n, " (0.1)", 6);
    chatd_str replaced = {buf, n + 6};
    return host_api->message_set_text(msg, replaced);
}

static void shutdown_hook(void* instance) { (void)instance; }

static chatd_status trap_connect(void* instance, const chatd_connect_event* event, chatd_admission* verdict,
                                 chatd_error_buf* error) {
    (void)instance, (void)event, (void)verdict, (void)error;
    abort();
}

static const chatd_plugin_api table = {
    offsetof(chatd_plugin_api, on_connect), /* the 0.1 size */
    CHATD_PLUGIN_ABI_VERSION,
    {"old_abi", 7},
    init_hook,
    NULL,
    message_hook,
    NULL,
    NULL,
    NULL,
    shutdown_hook,
    trap_connect, /* beyond struct_size: must never be called */
    NULL,
    NULL,
    NULL,
    NULL,
};

__attribute__((visibility("default"))) const chatd_plugin_api* chatd_plugin_entry(const uint32_t* offered,
                                                                                  size_t offered_count,
                                                                                  uint32_t* plugin_abi) {
    for (size_t i = 0; i < offered_count; ++i)
        if (offered[i] == CHATD_PLUGIN_ABI_VERSION) return &table;
    *plugin_abi = CHATD_PLUGIN_ABI_VERSION;
    return NULL;
}
