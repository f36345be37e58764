// Running the built chatd-bench from a test: its JSON report parsed, its
// numbers read with a failure naming any that is missing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemon_fixture.h"
#include "json/json_value.h"

namespace chatd::testing {

// A chatd config with no plugins, room for many connections, two IO loops.
extern const std::string kNoPlugins;

struct BenchRun {
    int exit_code = -1;
    std::string output;
    std::optional<json::Value> report;

    // The report's number `key`; a test failure (and NaN) when there is none.
    double number(const std::string& key) const;
};

// Runs chatd-bench with `args` (+ --json --quiet) and parses its JSON line.
BenchRun runBench(std::vector<std::string> args);

// --port and --server-pid of `daemon`.
std::vector<std::string> target(Daemon& daemon);

}  // namespace chatd::testing
