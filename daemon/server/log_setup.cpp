#include "server/log_setup.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

namespace chatd::server {

void setupLogging() {
    auto logger = spdlog::stderr_logger_mt("chatd");
    if (std::getenv("JOURNAL_STREAM") != nullptr)
        logger->set_pattern("%^%l%$ [%n] %v");  // the journal adds time and process
    else
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
    spdlog::set_default_logger(logger);
}

void applyLogLevel(std::string_view level) { spdlog::set_level(spdlog::level::from_str(std::string(level))); }

}  // namespace chatd::server
