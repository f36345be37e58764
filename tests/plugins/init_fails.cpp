// A plugin whose init always refuses its config; the loader's message must
// carry the plugin's own words.
#include <stdexcept>

#include <chatd/plugin.hpp>

class InitFails : public chatd::sdk::Plugin {
public:
    void init(const YAML::Node&) override { throw std::runtime_error("the config needs a 'token' key"); }
};

CHATD_PLUGIN(InitFails, "init_fails");
