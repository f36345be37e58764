// Entry points of the config loader: read the file, parse the YAML, hand
// the top-level mapping to readSettings(), resolve relative directories.
#include "config/config_loader.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "config/error_sink.h"
#include "config/settings_reader.h"

namespace chatd::config {
namespace {

namespace fs = std::filesystem;

// The whole file, or the errno of the failed open/read.
struct FileText {
    std::string text;
    int error = 0;
};

FileText readWholeFile(const std::string& path) {
    struct Closer {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    std::unique_ptr<std::FILE, Closer> file(std::fopen(path.c_str(), "rb"));
    if (!file) return {"", errno};
    FileText result;
    char buffer[16384];
    while (std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get())) result.text.append(buffer, got);
    if (std::ferror(file.get())) return {"", errno != 0 ? errno : EIO};  // e.g. EISDIR for a directory
    return result;
}

// `dir` made absolute against `base` when it is relative.
std::string resolveAgainst(const std::string& dir, const fs::path& base) {
    const fs::path path(dir);
    if (path.is_absolute() || base.empty()) return dir;
    return (base / path).lexically_normal().string();
}

// The mapping at the top of `yaml`, or nullopt after recording why not.
std::optional<YAML::Node> parseTopLevel(std::string_view yaml, ErrorSink& sink) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(yaml));
    } catch (const YAML::Exception& e) {  // ParserException and the rest carry a mark
        std::string message = "YAML syntax error: " + e.msg;
        if (e.msg == YAML::ErrorMsg::ALIAS_NOT_FOUND) message += " (a lone * must be quoted: '*')";
        sink.add(e.mark, "", message);
        return std::nullopt;
    }
    if (documents.size() > 1) {
        sink.add(documents[1].Mark(), "", "only one YAML document is allowed (remove the '---' line)");
        return std::nullopt;
    }
    if (documents.empty() || documents[0].IsNull()) {
        sink.addUnplaced("", "the file is empty: expected a mapping of settings such as 'listen: {port: 8080}'");
        return std::nullopt;
    }
    if (!documents[0].IsMap()) {
        sink.add(documents[0].Mark(), "",
                 "the top level must be a mapping of settings (key: value lines), got " + describe(documents[0]));
        return std::nullopt;
    }
    return documents[0];
}

// Validates `yaml`; relative directories are resolved against `baseDir`.
LoadResult load(std::string_view yaml, const std::string& sourceName, const fs::path& baseDir) {
    ErrorSink sink(sourceName);
    Config config;
    config.public_dir = CHATD_PUBLIC_DIR;
    config.plugin_dir = CHATD_PLUGIN_DIR;
    config.source = sourceName;
    if (auto root = parseTopLevel(yaml, sink)) readSettings(Field{*root, root->Mark(), ""}, config, sink);
    if (!sink.empty()) return LoadResult{std::nullopt, sink.take()};
    config.public_dir = resolveAgainst(config.public_dir, baseDir);
    config.plugin_dir = resolveAgainst(config.plugin_dir, baseDir);
    return LoadResult{std::move(config), {}};
}

}  // namespace

LoadResult loadFromFile(const std::string& path) {
    FileText file = readWholeFile(path);
    if (file.error != 0) {
        ErrorSink sink(path);
        sink.addUnplaced(
            "", "cannot read the config file: " + std::error_code(file.error, std::generic_category()).message());
        return LoadResult{std::nullopt, sink.take()};
    }
    std::error_code ignored;
    const fs::path absolute = fs::absolute(path, ignored);
    return load(file.text, path, absolute.parent_path());
}

LoadResult loadFromString(std::string_view yaml, const std::string& source_name) {
    std::error_code ignored;
    return load(yaml, source_name, fs::current_path(ignored));
}

}  // namespace chatd::config
