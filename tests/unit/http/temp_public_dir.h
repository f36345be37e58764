// Test fixture data: a throw-away directory tree (mkdtemp) holding a public
// root with ordinary files, a dotfile, symlinks inside and leaving the root,
// plus secret files outside it. Removed (without following links) on destruction.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace chatd::http::test {

class TempPublicDir {
public:
    TempPublicDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "chatd-http-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        base_ = std::filesystem::canonical(pattern);
        root_ = base_ / "public";
        namespace fs = std::filesystem;

        fs::create_directories(root_ / "sub");
        fs::create_directories(root_ / "emptydir");
        fs::create_directories(root_ / ".hidden");
        fs::create_directories(base_ / "secretdir");

        write(base_ / "secret.txt", "outside the root\n");
        write(base_ / "secretdir" / "file.txt", "also outside\n");
        write(root_ / "index.html", kIndexHtml);
        write(root_ / "style.css", "body { color: black; }\n");
        write(root_ / "app.js", "console.log('hi');\n");
        write(root_ / "a b.txt", "spaced\n");
        write(root_ / "sub" / "index.html", "<p>sub</p>\n");
        write(root_ / ".env", "SECRET=1\n");
        write(root_ / ".hidden" / "x.txt", "hidden\n");

        fs::create_symlink(base_ / "secret.txt", root_ / "link_out.txt");
        fs::create_symlink("../secretdir", root_ / "linkdir_out");
        fs::create_symlink("style.css", root_ / "link_in.css");
        fs::create_symlink("sub", root_ / "link_in_dir");
        fs::create_symlink(".env", root_ / "link_to_dotfile");
        fs::create_symlink("sub", root_ / ".dotlink");
        fs::create_symlink(root_, base_ / "root_link");
        if (::mkfifo((root_ / "fifo").c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
    }

    ~TempPublicDir() {
        std::error_code ec;
        std::filesystem::remove_all(base_, ec);
    }

    TempPublicDir(const TempPublicDir&) = delete;
    TempPublicDir& operator=(const TempPublicDir&) = delete;

    const std::filesystem::path& base() const { return base_; }
    const std::filesystem::path& root() const { return root_; }
    std::string rootString() const { return root_.string(); }
    std::string pathOf(const std::string& relative) const { return (root_ / relative).string(); }

    static void write(const std::filesystem::path& file, const std::string& content) {
        std::ofstream out(file, std::ios::binary);
        out << content;
        if (!out) throw std::runtime_error("cannot write " + file.string());
    }

    static constexpr const char* kIndexHtml = "<!doctype html><title>chatd</title>\n";

private:
    std::filesystem::path base_;
    std::filesystem::path root_;
};

}  // namespace chatd::http::test
