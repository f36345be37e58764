// Entry points of the config loader: read the file, parse the YAML, hand
// the top-level mapping to readSettings(), resolve relative directories.
#include "config/config_loader.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <system_error>

#include <yaml-cpp/eventhandler.h>

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

// Where the first node of each document of the text is, as yaml-cpp's
// parser reports it (an empty document reports a null node).
class DocumentStarts : public YAML::EventHandler {
public:
    std::vector<YAML::Mark> marks;

    void OnDocumentStart(const YAML::Mark&) override { ++documents_; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
        node(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        node(mark);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        node(mark);
    }
    void OnMapEnd() override {}

private:
    void node(const YAML::Mark& mark) {
        if (marks.size() < documents_) marks.push_back(mark);
    }
    std::size_t documents_ = 0;
};

// True when the node at `mark` is a ',' (outside of any [...] or {...}):
// yaml-cpp 0.7 never consumes such a token.
bool startsWithStrayComma(std::string_view yaml, const YAML::Mark& mark) {
    return mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < yaml.size() && yaml[mark.pos] == ',';
}

// The mapping at the top of `yaml`, or nullopt after recording why not.
// Not YAML::LoadAll: in yaml-cpp 0.7 it loops forever, growing without bound,
// on a ',' at document level (it yields an empty document for it again and
// again; found by tests/fuzz config_loader; upstream jbeder/yaml-cpp#1040,
// fixed after 0.8 by PR #1319). So the parser is asked for at most two
// documents, and YAML::Load builds the first one.
std::optional<YAML::Node> parseTopLevel(std::string_view yaml, ErrorSink& sink) {
    const std::string text(yaml);
    YAML::Node document;
    DocumentStarts starts;
    try {
        std::istringstream stream(text);
        YAML::Parser parser(stream);
        if (parser.HandleNextDocument(starts)) parser.HandleNextDocument(starts);
        if (!starts.marks.empty()) document = YAML::Load(text);
    } catch (const YAML::Exception& e) {  // ParserException and the rest carry a mark
        std::string message = "YAML syntax error: " + e.msg;
        if (e.msg == YAML::ErrorMsg::ALIAS_NOT_FOUND) message += " (a lone * must be quoted: '*')";
        sink.add(e.mark, "", message);
        return std::nullopt;
    }
    for (const YAML::Mark& start : starts.marks) {
        if (startsWithStrayComma(text, start)) {
            sink.add(start, "", "YAML syntax error: a ',' outside of a [list] or {mapping} (quote it: ',')");
            return std::nullopt;
        }
    }
    if (starts.marks.size() > 1) {
        sink.add(starts.marks[1], "", "only one YAML document is allowed (remove the '---' line)");
        return std::nullopt;
    }
    if (starts.marks.empty() || document.IsNull()) {
        sink.addUnplaced("", "the file is empty: expected a mapping of settings such as 'listen: {port: 8080}'");
        return std::nullopt;
    }
    if (!document.IsMap()) {
        sink.add(document.Mark(), "",
                 "the top level must be a mapping of settings (key: value lines), got " + describe(document));
        return std::nullopt;
    }
    return document;
}

// Validates `yaml`; relative directories are resolved against `baseDir`.
LoadResult load(std::string_view yaml, const std::string& sourceName, const fs::path& baseDir) {
    ErrorSink sink(sourceName);
    Config config;
    config.public_dir = CHATD_PUBLIC_DIR;
    config.plugin_dir = CHATD_PLUGIN_DIR;
    config.source = sourceName;
    if (auto root = parseTopLevel(yaml, sink)) readSettings(Field{*root, root->Mark(), ""}, config, sink, baseDir);
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
