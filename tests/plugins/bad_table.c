/* A plugin whose function table has no init hook: the loader must refuse it
 * ("invalid plugin table") instead of calling through a null pointer. */
#include "chatd/plugin_abi.h"

static void shutdown_hook(void* instance) { (void)instance; }

static const chatd_plugin_api table = {
    sizeof(chatd_plugin_api), CHATD_PLUGIN_ABI_VERSION, {"bad_table", 9}, 0, 0, 0, 0, 0, 0, shutdown_hook, 0, 0, 0, 0, 0,
};

__attribute__((visibility("default"))) const chatd_plugin_api* chatd_plugin_entry(const uint32_t* offered,
                                                                                  size_t offered_count,
                                                                                  uint32_t* plugin_abi) {
    (void)offered, (void)offered_count, (void)plugin_abi;
    return &table;
}
