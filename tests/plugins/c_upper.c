/* A plugin in plain C, without the C++ SDK: proves the ABI header is usable
 * from C. Upper-cases the ASCII letters of every message; with config
 * "greet: true" it also replies "hi <nick>" to sessions that join. */
#include <stdlib.h>
#include <string.h>

#include "chatd/plugin_abi.h"

typedef struct upper {
    const chatd_host_api* api;
    chatd_host* host;
    int greet;
} upper;

static chatd_status init_hook(const chatd_plugin_init_args* args, void** instance_out, chatd_error_buf* error) {
    upper* self = calloc(1, sizeof *self);
    if (self == NULL) {
        static const char oom[] = "out of memory";
        memcpy(error->data, oom, sizeof oom - 1);
        error->size = sizeof oom - 1;
        return CHATD_FAILED;
    }
    self->api = args->api;
    self->host = args->host;
    /* A tiny "parser" is enough for a test: look for the text "greet: true". */
    for (size_t i = 0; i + 11 <= args->config_yaml.size; ++i)
        if (memcmp(args->config_yaml.data + i, "greet: true", 11) == 0) self->greet = 1;
    *instance_out = self;
    return CHATD_OK;
}

static chatd_status message_hook(void* instance, chatd_message* msg, chatd_verdict* verdict, chatd_error_buf* error) {
    upper* self = instance;
    (void)verdict, (void)error;
    chatd_str text = self->api->message_text(msg);
    char* copy = malloc(text.size + 1);
    if (copy == NULL) return CHATD_FAILED;
    for (size_t i = 0; i < text.size; ++i) {
        char c = text.data[i];
        copy[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    chatd_str replaced = {copy, text.size};
    chatd_status status = self->api->message_set_text(msg, replaced);
    free(copy); /* the host copied it */
    return status;
}

static chatd_status join_hook(void* instance, const chatd_session_event* event, chatd_error_buf* error) {
    upper* self = instance;
    (void)error;
    if (!self->greet) return CHATD_OK;
    char buf[64] = "hi ";
    size_t n = event->nick.size < 60 ? event->nick.size : 60;
    memcpy(buf + 3, event->nick.data, n);
    chatd_str text = {buf, 3 + n};
    return self->api->reply(self->host, event->session_id, text);
}

static void shutdown_hook(void* instance) { free(instance); }

static const chatd_plugin_api table = {
    sizeof(chatd_plugin_api),
    CHATD_PLUGIN_ABI_VERSION,
    {"c_upper", 7},
    init_hook,
    NULL,
    message_hook,
    NULL,
    join_hook,
    NULL,
    shutdown_hook,
    NULL, /* on_connect (chatd 0.2) */
    NULL, /* on_join_request */
    NULL, /* on_tick */
    NULL, /* on_control */
    NULL, /* on_peer_message */
};

__attribute__((visibility("default"))) const chatd_plugin_api* chatd_plugin_entry(const uint32_t* offered,
                                                                                  size_t offered_count,
                                                                                  uint32_t* plugin_abi) {
    for (size_t i = 0; i < offered_count; ++i)
        if (offered[i] == CHATD_PLUGIN_ABI_VERSION) return &table;
    *plugin_abi = CHATD_PLUGIN_ABI_VERSION;
    return NULL;
}
