// Helpers to read a plugin's `config:` subtree with error messages an
// operator understands ("key 'rate': expected a number, got 'fast'"); throw
// them from init() and the daemon prints "init failed: <message>".
#pragma once

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace chatd::sdk::config {

// Throws if `config` is neither null nor a map, or has a key not in `known`
// (catches typos such as "wrods:").
inline void checkKeys(const YAML::Node& config, std::initializer_list<std::string_view> known) {
    if (!config || config.IsNull()) return;
    if (!config.IsMap()) throw std::runtime_error("config must be a map of keys");
    for (const auto& item : config) {
        const std::string key = item.first.as<std::string>();
        bool found = false;
        for (std::string_view k : known) found = found || k == key;
        if (found) continue;
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        throw std::runtime_error("unknown key '" + key + "' (known keys: " + list + ")");
    }
}

template <class T>
constexpr const char* describe() {
    if constexpr (std::is_same_v<T, bool>)
        return "true or false";
    else if constexpr (std::is_integral_v<T>)
        return "an integer";
    else if constexpr (std::is_floating_point_v<T>)
        return "a number";
    else
        return "a string";
}

// config[key] as T, or `fallback` when the key is absent or null.
template <class T>
T get(const YAML::Node& config, const char* key, T fallback) {
    if (!config || !config.IsMap()) return fallback;
    const YAML::Node value = config[key];
    if (!value || value.IsNull()) return fallback;
    if (!value.IsScalar()) throw std::runtime_error(std::string("key '") + key + "': expected " + describe<T>());
    try {
        return value.as<T>();
    } catch (const YAML::Exception&) {
        throw std::runtime_error(std::string("key '") + key + "': expected " + describe<T>() + ", got '" +
                                 value.Scalar() + "'");
    }
}

// config[key] as T; throws when it is absent.
template <class T>
T require(const YAML::Node& config, const char* key) {
    if (!config || !config.IsMap() || !config[key] || config[key].IsNull())
        throw std::runtime_error(std::string("key '") + key + "' is required");
    return get<T>(config, key, T{});
}

// config[key] as a list of strings (a single string counts as a list of one);
// empty when absent.
inline std::vector<std::string> strings(const YAML::Node& config, const char* key) {
    std::vector<std::string> out;
    if (!config || !config.IsMap()) return out;
    const YAML::Node value = config[key];
    if (!value || value.IsNull()) return out;
    if (value.IsScalar()) {
        out.push_back(value.Scalar());
        return out;
    }
    if (!value.IsSequence()) throw std::runtime_error(std::string("key '") + key + "': expected a list of strings");
    for (const auto& item : value) {
        if (!item.IsScalar()) throw std::runtime_error(std::string("key '") + key + "': expected a list of strings");
        out.push_back(item.Scalar());
    }
    return out;
}

}  // namespace chatd::sdk::config
