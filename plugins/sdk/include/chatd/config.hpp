// Helpers to read a plugin's `config:` subtree with error messages an
// operator understands ("key 'rate': expected a number, got 'fast'"); throw
// them from init() and the daemon prints "init failed: <message>".
//
//   checkKeys(config, {"a", "b"})   refuse keys not in the list (typos)
//   get<T>(config, "key", fallback) one value, or the fallback when absent;
//                                   T: bool, an integer, a floating point type,
//                                   std::string, or std::vector of those (a YAML
//                                   list; a single value counts as a list of one)
//   require<T>(config, "key")       the same, but the key must be there
//   strings(config, "key")          get<std::vector<std::string>> with an empty default
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
        throw std::runtime_error("unknown key '" + key + "' (" +
                                 (list.empty() ? std::string("this plugin takes no keys") : "known keys: " + list) +
                                 ")");
    }
}

template <class T>
struct IsList : std::false_type {};
template <class T>
struct IsList<std::vector<T>> : std::true_type {};

// The value types get<T> reads: one scalar (bool, integers, floating point,
// std::string) or a std::vector of them.
template <class T>
constexpr bool isScalarType = std::is_arithmetic_v<T> || std::is_same_v<T, std::string>;

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

template <class T>
constexpr const char* describeList() {
    if constexpr (std::is_same_v<T, bool>)
        return "a list of true/false values";
    else if constexpr (std::is_integral_v<T>)
        return "a list of integers";
    else if constexpr (std::is_floating_point_v<T>)
        return "a list of numbers";
    else
        return "a list of strings";
}

// One scalar node as T; `what` names it in the error ("key 'rate'").
template <class T>
T scalarAs(const YAML::Node& value, const std::string& what) {
    if (!value.IsScalar()) throw std::runtime_error(what + ": expected " + describe<T>());
    try {
        return value.as<T>();
    } catch (const YAML::Exception&) {
        throw std::runtime_error(what + ": expected " + describe<T>() + ", got '" + value.Scalar() + "'");
    }
}

// config[key] as T, or `fallback` when the key is absent or null. T is a
// scalar type or a std::vector of one (a YAML list, or one value as a list of one).
template <class T>
T get(const YAML::Node& config, const char* key, T fallback) {
    if constexpr (IsList<T>::value) {
        using Item = typename T::value_type;
        static_assert(isScalarType<Item>,
                      "config::get<std::vector<X>>: X must be bool, an integer, a floating point type or std::string");
        if (!config || !config.IsMap()) return fallback;
        const YAML::Node value = config[key];
        if (!value || value.IsNull()) return fallback;
        const std::string what = std::string("key '") + key + "'";
        if (value.IsScalar()) return T{scalarAs<Item>(value, what)};
        if (!value.IsSequence()) throw std::runtime_error(what + ": expected " + describeList<Item>());
        T out;
        for (const auto& item : value) {
            if (!item.IsScalar()) throw std::runtime_error(what + ": expected " + describeList<Item>());
            out.push_back(scalarAs<Item>(item, what + " (" + describeList<Item>() + ")"));
        }
        return out;
    } else {
        static_assert(isScalarType<T>,
                      "config::get<T>: T must be bool, an integer, a floating point type, std::string, or a "
                      "std::vector of those; read maps with the YAML::Node API");
        if (!config || !config.IsMap()) return fallback;
        const YAML::Node value = config[key];
        if (!value || value.IsNull()) return fallback;
        return scalarAs<T>(value, std::string("key '") + key + "'");
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
// empty when absent. The same as get<std::vector<std::string>>(config, key, {}).
inline std::vector<std::string> strings(const YAML::Node& config, const char* key) {
    return get<std::vector<std::string>>(config, key, {});
}

}  // namespace chatd::sdk::config
