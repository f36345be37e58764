#include "auth/secret.h"

#include <sys/stat.h>

#include <bitset>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "auth/jwt_verifier.h"

namespace chatd::auth {

namespace {

constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;

LoadedSecret failed(std::string error) {
    LoadedSecret result;
    result.error = std::move(error);
    return result;
}

std::size_t distinctBytes(std::string_view text) {
    std::bitset<256> seen;
    for (const char c : text) seen.set(static_cast<unsigned char>(c));
    return seen.count();
}

}  // namespace

LoadedSecret loadSecret(std::string_view inline_secret, const std::string& secret_file) {
    if (!inline_secret.empty() && !secret_file.empty()) return failed("set auth.secret or auth.secret_file, not both");
    if (inline_secret.empty() && secret_file.empty())
        return failed("auth.mode jwt needs auth.secret or auth.secret_file");
    LoadedSecret result;
    std::string secret(inline_secret);
    if (!secret_file.empty()) {
        struct stat info {};
        if (::stat(secret_file.c_str(), &info) != 0)
            return failed("cannot read secret file " + secret_file + ": " + std::strerror(errno));
        if (!S_ISREG(info.st_mode)) return failed("secret file " + secret_file + " is not a regular file");
        if (static_cast<std::size_t>(info.st_size) > kMaxSecretFileBytes)
            return failed("secret file " + secret_file + " is larger than 64 KiB");
        std::ifstream in(secret_file, std::ios::binary);
        if (!in) return failed("cannot read secret file " + secret_file + ": " + std::strerror(errno));
        std::ostringstream content;
        content << in.rdbuf();
        secret = content.str();
        if (secret.ends_with("\n")) secret.pop_back();
        if (secret.ends_with("\r")) secret.pop_back();
        if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
            result.warning =
                "secret file " + secret_file + " is accessible by group or others (mode " + mode + "); chmod 600 it";
        }
    }
    if (secret.size() < kMinSecretBytes)
        return failed("the secret must be at least " + std::to_string(kMinSecretBytes) + " bytes, got " +
                      std::to_string(secret.size()) + " (e.g. openssl rand -hex 32)");
    if (secret == kSampleSecret)
        return failed("the secret is the placeholder from the sample config: make a random one (openssl rand -hex 32)");
    if (const std::size_t distinct = distinctBytes(secret); distinct < kMinDistinctSecretBytes)
        return failed("the secret has only " + std::to_string(distinct) + " distinct bytes (at least " +
                      std::to_string(kMinDistinctSecretBytes) + "): not random; make one with openssl rand -hex 32");
    result.secret = std::move(secret);
    return result;
}

}  // namespace chatd::auth
