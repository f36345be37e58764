#include "server/bus_factory.h"

#include "bus/memory_bus.h"
#include "bus/redis_bus.h"

namespace chatd::server {

bus::RedisSettings redisSettingsOf(const config::Config& config) {
    const config::RedisBusConfig& redis = config.bus.redis;
    bus::RedisSettings settings;
    settings.endpoint = bus::RedisEndpoint{redis.host, redis.port, redis.unix_socket};
    settings.password = redis.password;
    settings.database = redis.database;
    settings.key_prefix = redis.key_prefix;
    settings.history_length = redis.history_length;
    settings.history_age = redis.history_age;
    settings.timeout = redis.timeout;
    settings.instance_ttl = redis.instance_ttl;
    settings.max_outbound_bytes = redis.max_outbound_bytes;
    return settings;
}

std::unique_ptr<bus::Bus> makeBus(const config::Config& config) {
    if (config.bus.type == config::BusType::Redis) return std::make_unique<bus::RedisBus>(redisSettingsOf(config));
    return std::make_unique<bus::MemoryBus>();
}

}  // namespace chatd::server
