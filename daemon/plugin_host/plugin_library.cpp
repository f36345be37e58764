// Loading a plugin file: existence check, dlopen, entry symbol, ABI
// negotiation and a sanity check of the returned function table, each with
// its own one-line cause (the pipeline prefixes the plugin's name and file).
#include "plugin_host/plugin_library.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace chatd::plugin_host {

namespace {

constexpr std::uint32_t kServed[] = {CHATD_PLUGIN_ABI_VERSION};

// The table of a plugin built against chatd 0.1 ends before on_connect.
constexpr std::size_t kFirstTableSize = offsetof(chatd_plugin_api, on_connect);

std::string servedList() {
    std::string out;
    for (std::uint32_t v : kServed) out += (out.empty() ? "" : ", ") + std::to_string(v);
    return out;
}

// "file not found" and friends, before dlopen turns them into longer text.
std::string checkFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return "file not found";
        return std::string("cannot read file: ") + std::strerror(errno);
    }
    if (!S_ISREG(st.st_mode)) return "not a regular file";
    return {};
}

}  // namespace

std::variant<std::shared_ptr<PluginLibrary>, std::string> PluginLibrary::open(const std::string& path) {
    if (std::string problem = checkFile(path); !problem.empty()) return problem;

    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        return std::string("cannot load: ") + (why != nullptr ? why : "unknown dlopen error");
    }
    auto library = std::make_shared<PluginLibrary>(Private{}, handle, path);

    ::dlerror();
    void* symbol = ::dlsym(handle, CHATD_PLUGIN_ENTRY_SYMBOL);
    if (symbol == nullptr) return std::string("not a chatd plugin (no " CHATD_PLUGIN_ENTRY_SYMBOL " symbol)");
    auto entry = reinterpret_cast<chatd_plugin_entry_fn>(symbol);

    std::uint32_t wanted = 0;
    library->api_ = entry(kServed, std::size(kServed), &wanted);
    if (library->api_ == nullptr) {
        return "plugin ABI " + (wanted != 0 ? std::to_string(wanted) : std::string("(unknown)")) +
               " is not supported (this chatd serves plugin ABI " + servedList() + ")";
    }
    if (std::string problem = library->validate(); !problem.empty()) return "invalid plugin table: " + problem;
    std::memcpy(&library->table_, library->api_,
                std::min<std::size_t>(library->api_->struct_size, sizeof(chatd_plugin_api)));
    return library;
}

std::string PluginLibrary::validate() const {
    bool offered = false;
    for (std::uint32_t v : kServed) offered = offered || v == api_->abi_version;
    if (!offered)
        return "picked ABI " + std::to_string(api_->abi_version) + ", which was not offered (offered " + servedList() +
               ")";
    if (api_->struct_size < kFirstTableSize)
        return "struct_size " + std::to_string(api_->struct_size) + " is smaller than ABI 1's " +
               std::to_string(kFirstTableSize);
    if (api_->init == nullptr) return "no init hook";
    if (api_->shutdown == nullptr) return "no shutdown hook";
    return {};
}

PluginLibrary::~PluginLibrary() {
    if (handle_ != nullptr) ::dlclose(handle_);
}

}  // namespace chatd::plugin_host
