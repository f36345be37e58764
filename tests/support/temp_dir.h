// A directory of its own under the system's temp directory, removed with
// everything in it (whatever its permissions) when the object goes.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace chatd::testing {

class ScratchDir {
public:
    explicit ScratchDir(const std::string& prefix = "chatd-test") {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    // The path of `name` inside the directory.
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    // Writes `content` to `name` inside the directory and returns its path.
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(path_ / name) << content;
        return file(name);
    }

private:
    std::filesystem::path path_;
};

}  // namespace chatd::testing
