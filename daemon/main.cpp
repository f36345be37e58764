// chatd's entry point: signals are blocked before any thread exists, so that
// only the main thread's sigwait loop ever sees them.
#include <Poco/Exception.h>

#include <iostream>

#include "app/chatd_application.h"
#include "app/signals.h"

int main(int argc, char** argv) {
    chatd::app::blockProcessSignals();
    chatd::app::ChatdApplication app;
    try {
        app.init(argc, argv);  // parses the command line
    } catch (const Poco::Exception& error) {
        std::cerr << "chatd: " << error.displayText() << " (see --help)\n";
        return 64;  // EX_USAGE
    }
    return static_cast<Poco::Util::Application&>(app).run();
}
