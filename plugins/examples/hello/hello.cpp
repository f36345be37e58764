// hello: the smallest chatd plugin that does something visible. When someone
// sends the message "/hello", only they get the answer "hello, <nick>!" and the
// message itself is not broadcast; every other message passes untouched.
//
// Build: part of chatd's build (`ninja -C build hello` -> build/plugins/hello.so),
// or out of tree with find_package(chatd) + chatd_add_plugin(hello SOURCES hello.cpp).
// Enable it in /etc/chatd.yaml, then reload (systemctl reload chatd):
//
//     plugins:
//       - name: hello
//         config:
//           greeting: hello    # optional, this is the default
//
// docs/plugins.md walks through this file line by line.
#include <string>

#include <chatd/config.hpp>
#include <chatd/plugin.hpp>

using chatd::sdk::Message;
using chatd::sdk::Verdict;

class Hello : public chatd::sdk::Plugin {
public:
    // Reads the config subtree; throwing here refuses the daemon's config.
    void init(const YAML::Node& config) override {
        chatd::sdk::config::checkKeys(config, {"greeting"});
        greeting_ = chatd::sdk::config::get<std::string>(config, "greeting", "hello");
    }

    Verdict onMessage(Message& msg) override {
        if (msg.text() != "/hello") return Verdict::pass();
        msg.reply(greeting_ + ", " + std::string(msg.nick()) + "!");
        return Verdict::drop();  // nobody else sees "/hello"
    }

private:
    std::string greeting_;
};

CHATD_PLUGIN(Hello, "hello");
