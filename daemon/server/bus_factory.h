// The bus the config asks for (bus.type): in-memory or Redis.
#pragma once

#include <memory>

#include "bus/bus.h"
#include "bus/redis_settings.h"
#include "config/config.h"

namespace chatd::server {

bus::RedisSettings redisSettingsOf(const config::Config& config);

// A bus that is not started yet; the hub starts it.
std::unique_ptr<bus::Bus> makeBus(const config::Config& config);

}  // namespace chatd::server
