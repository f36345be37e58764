// The things chatd-bench measures. Each runs one complete run and
// returns its report; a run that cannot complete throws RunError.
#pragma once

#include "options.h"
#include "report.h"

namespace chatd::bench {

Report runBroadcast(const Options& options);
Report runIdle(const Options& options);
Report runConnect(const Options& options);
Report runBigroom(const Options& options);

}  // namespace chatd::bench
