#include "bench_run.h"

#include <gtest/gtest.h>

#include <cmath>

#include "child_process.h"
#include "json/json_reader.h"

namespace chatd::testing {

const std::string kNoPlugins =
    "listen:\n  address: 127.0.0.1\n  port: 0\nthreads:\n  io: 2\nlimits:\n  max_connections: 20000\n"
    "  session_messages_per_second: 0\nplugins: []\n";

double BenchRun::number(const std::string& key) const {
    const json::Value* value = report ? report->find(key) : nullptr;
    if (!value || !value->asDouble()) {
        ADD_FAILURE() << "no number '" << key << "' in: " << output;
        return NAN;
    }
    return *value->asDouble();
}

BenchRun runBench(std::vector<std::string> args) {
    args.insert(args.begin(), CHATD_BENCH_BIN);
    args.push_back("--json");
    args.push_back("--quiet");
    ChildProcess process(args);
    BenchRun run;
    const auto code = process.waitExit(std::chrono::seconds(60));
    if (!code) {
        ADD_FAILURE() << "chatd-bench did not finish; output:\n" << process.output();
        return run;
    }
    process.waitOutputClosed(std::chrono::seconds(10));
    run.exit_code = *code;
    run.output = process.output();
    const auto start = run.output.find("{\"mode\"");
    if (start != std::string::npos) {
        std::string error;
        run.report = json::parse(run.output.substr(start, run.output.find('\n', start) - start), error);
        if (!run.report) ADD_FAILURE() << error << " in: " << run.output;
    }
    return run;
}

std::vector<std::string> target(Daemon& daemon) {
    return {"--port", std::to_string(daemon.port()), "--server-pid", std::to_string(daemon.process().pid())};
}

}  // namespace chatd::testing
