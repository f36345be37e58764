// JwtVerifier: the optional token check of an upgrade (auth.mode: jwt). A
// token is an HS256 JSON Web Token minted by the deployment's own backend;
// it proves who the user is, and its nick claim becomes the session's nick.
//
// Order of checks: size and shape, then the signature (computed here with
// Poco's HMAC-SHA256 and compared in constant time; Poco::JWT::Signer
// compares with ==), and only then is any JSON parsed (Poco::JWT::Token):
// no parser ever sees bytes that were not signed with our secret. Then alg
// (HS256 only: no "none", no RS/ES confusion), exp/nbf with leeway, iss,
// aud and the nick. Every failure has a reason for the log; clients only
// ever get a plain 401.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::auth {

struct JwtSettings {
    std::string secret;                        // the HS256 key: at least 32 bytes (RFC 7518 3.2)
    std::string issuer;                        // when set, `iss` must equal it
    std::string audience;                      // when set, `aud` must be or contain it
    std::string nick_claim = "nick";           // the claim holding the nick; `sub` when it is absent
    std::chrono::milliseconds leeway{30'000};  // clock skew allowed for exp and nbf
    bool require_expiry = true;                // refuse tokens without `exp` (they never expire)
    std::size_t max_token_bytes = 4096;        // longer tokens are refused unread
};

enum class AuthFailure {
    Missing,               // no token in the request
    TooLong,               // over max_token_bytes
    Malformed,             // not three base64url parts, or not JSON, or bad claim types
    BadSignature,          // not signed with our secret
    UnsupportedAlgorithm,  // alg is not HS256
    MissingExpiry,         // no exp while require_expiry
    Expired,               // now > exp + leeway
    NotYetValid,           // now + leeway < nbf
    WrongIssuer,
    WrongAudience,
    MissingNick,  // neither the nick claim nor sub
    InvalidNick,  // not a string, or not a valid nick (protocol/names.h)
};

// Stable lower-case names ("bad_signature"): log text and the `reason` label of chatd_auth_failures_total.
std::string_view failureName(AuthFailure failure);

struct AuthResult {
    std::optional<AuthFailure> failure;  // nullopt: the token is good
    std::string reason;                  // what was wrong, for the log (never sent to the client)
    std::string nick;                    // on success: the session's nick
    std::string subject;                 // `sub` when present (for logs)
    std::string claims_json;             // on success: the payload's claims as one JSON object
    explicit operator bool() const { return !failure; }
};

class JwtVerifier {
public:
    // Throws std::invalid_argument for a secret under 32 bytes or an empty nick_claim.
    explicit JwtVerifier(JwtSettings settings);

    AuthResult verify(std::string_view token,
                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

    const JwtSettings& settings() const { return settings_; }

private:
    std::string expectedSignature(std::string_view signing_input) const;

    JwtSettings settings_;
};

inline constexpr std::size_t kMinSecretBytes = 32;

}  // namespace chatd::auth
