/* A plugin built for a future ABI (2) that this chatd (ABI 1) cannot serve:
 * it refuses every offer that lacks 2. The loader must name both versions. */
#include "chatd/plugin_abi.h"

__attribute__((visibility("default"))) const chatd_plugin_api* chatd_plugin_entry(const uint32_t* offered,
                                                                                  size_t offered_count,
                                                                                  uint32_t* plugin_abi) {
    for (size_t i = 0; i < offered_count; ++i)
        if (offered[i] == 2u) return 0; /* would return its ABI 2 table */
    *plugin_abi = 2u;
    return 0;
}
