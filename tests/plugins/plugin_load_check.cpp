// plugin_load_check: loads one plugin through Pipeline::build, exactly as the
// daemon does, and checks what it does to one message.
//
//   plugin_load_check <plugin_dir> <name> <config-yaml> <input-text> <expected-text>
//
// Exit 0 when the message passes with the expected text; 1 otherwise (the
// reason on stderr). Used by the out-of-tree plugin test.
#include <iostream>

#include "plugin_host/pipeline.h"

int main(int argc, char** argv) {
    using namespace chatd;
    if (argc != 6) {
        std::cerr << "usage: plugin_load_check <plugin_dir> <name> <config-yaml> <input> <expected>\n";
        return 2;
    }
    config::PluginEntry entry;
    entry.name = argv[2];
    entry.config = YAML::Load(argv[3]);
    auto built = plugin_host::Pipeline::build({entry}, argv[1], {});
    if (auto* error = std::get_if<std::string>(&built)) {
        std::cerr << *error << "\n";
        return 1;
    }
    auto pipeline = std::get<std::shared_ptr<plugin_host::Pipeline>>(built);
    plugin_host::MessageContext msg{1, "s1", "lobby", "alice", argv[4], ""};
    const plugin_host::Verdict verdict = pipeline->onMessage(msg);
    if (verdict.kind != plugin_host::VerdictKind::Continue) {
        std::cerr << "the plugin did not let the message pass (" << verdict.plugin << ")\n";
        return 1;
    }
    if (msg.text != argv[5]) {
        std::cerr << "expected text '" << argv[5] << "', got '" << msg.text << "'\n";
        return 1;
    }
    std::cout << "plugin '" << entry.name << "' loaded and turned '" << argv[4] << "' into '" << msg.text << "'\n";
    return 0;
}
