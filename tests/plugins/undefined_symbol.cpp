// A plugin that calls a function no library defines. Loaded with RTLD_NOW the
// loader must refuse it with dlerror's "undefined symbol" text (with
// RTLD_LAZY it would load and kill the daemon at the first message).
#include <chatd/plugin.hpp>

extern "C" int chatd_test_function_that_does_not_exist(int);

class UsesMissingSymbol : public chatd::sdk::Plugin {
public:
    chatd::sdk::Verdict onMessage(chatd::sdk::Message& msg) override {
        return chatd_test_function_that_does_not_exist(static_cast<int>(msg.text().size())) != 0
                   ? chatd::sdk::Verdict::drop()
                   : chatd::sdk::Verdict::pass();
    }
};

CHATD_PLUGIN(UsesMissingSymbol, "undefined_symbol");
