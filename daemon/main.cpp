// chatd's entry point: signals are blocked before any thread exists, so that
// only the main thread's sigwait loop ever sees them.
#include "app/chatd_application.h"
#include "app/signals.h"

int main(int argc, char** argv) {
    chatd::app::blockProcessSignals();
    chatd::app::ChatdApplication app;
    return app.run(argc, argv);
}
