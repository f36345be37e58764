#include "auth/jwt_verifier.h"

#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/Token.h>
#include <Poco/SHA2Engine.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "protocol/names.h"

namespace chatd::auth {

namespace {

// SHA-256 with the block and digest sizes Poco::HMACEngine asks of its engine.
class Sha256ForHmac : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256ForHmac() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

AuthResult fail(AuthFailure failure, std::string reason) {
    AuthResult result;
    result.failure = failure;
    result.reason = std::move(reason);
    return result;
}

bool isBase64Url(std::string_view part) {
    if (part.empty()) return false;
    for (char c : part) {
        const bool ok =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

// Equal contents without an early exit: the time taken does not tell how many leading characters matched.
bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

// A NumericDate claim (RFC 7519: a JSON number of seconds); nullopt when absent.
// Throws std::invalid_argument when present but not a number.
std::optional<double> numericDate(const Poco::JSON::Object& payload, const std::string& claim) {
    if (!payload.has(claim)) return std::nullopt;
    const Poco::Dynamic::Var value = payload.get(claim);
    if (!value.isNumeric() || value.isString() || value.type() == typeid(bool))  // Poco calls bools numeric
        throw std::invalid_argument("claim '" + claim + "' is not a number");
    return value.convert<double>();
}

bool audienceMatches(const Poco::JSON::Object& payload, const std::string& audience) {
    const Poco::Dynamic::Var aud = payload.get("aud");
    if (aud.isString()) return aud.extract<std::string>() == audience;
    if (const auto array = payload.getArray("aud")) {
        for (std::size_t i = 0; i < array->size(); ++i) {
            const Poco::Dynamic::Var entry = array->get(static_cast<unsigned>(i));
            if (entry.isString() && entry.extract<std::string>() == audience) return true;
        }
    }
    return false;
}

std::string stringClaim(const Poco::JSON::Object& payload, const std::string& claim) {
    const Poco::Dynamic::Var value = payload.get(claim);
    return value.isString() ? value.extract<std::string>() : std::string();
}

}  // namespace

std::string_view failureName(AuthFailure failure) {
    switch (failure) {
        case AuthFailure::Missing:
            return "missing";
        case AuthFailure::TooLong:
            return "too_long";
        case AuthFailure::Malformed:
            return "malformed";
        case AuthFailure::BadSignature:
            return "bad_signature";
        case AuthFailure::UnsupportedAlgorithm:
            return "unsupported_algorithm";
        case AuthFailure::MissingExpiry:
            return "missing_expiry";
        case AuthFailure::Expired:
            return "expired";
        case AuthFailure::NotYetValid:
            return "not_yet_valid";
        case AuthFailure::WrongIssuer:
            return "wrong_issuer";
        case AuthFailure::WrongAudience:
            return "wrong_audience";
        case AuthFailure::MissingNick:
            return "missing_nick";
        case AuthFailure::InvalidNick:
            return "invalid_nick";
    }
    return "unknown";
}

JwtVerifier::JwtVerifier(JwtSettings settings) : settings_(std::move(settings)) {
    if (settings_.secret.size() < kMinSecretBytes)
        throw std::invalid_argument("the HS256 secret must be at least " + std::to_string(kMinSecretBytes) +
                                    " bytes, got " + std::to_string(settings_.secret.size()));
    if (settings_.nick_claim.empty()) throw std::invalid_argument("the nick claim name is empty");
}

std::string JwtVerifier::expectedSignature(std::string_view signing_input) const {
    Poco::HMACEngine<Sha256ForHmac> hmac(settings_.secret);
    hmac.update(signing_input.data(), static_cast<unsigned>(signing_input.size()));
    const Poco::DigestEngine::Digest& digest = hmac.digest();
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    encoder.close();
    return out.str();
}

AuthResult JwtVerifier::verify(std::string_view token, std::chrono::system_clock::time_point now) const {
    if (token.empty()) return fail(AuthFailure::Missing, "no token (expected ?token=... or Authorization: Bearer)");
    if (token.size() > settings_.max_token_bytes)
        return fail(AuthFailure::TooLong, "token of " + std::to_string(token.size()) + " bytes (limit " +
                                              std::to_string(settings_.max_token_bytes) + ")");
    const auto first_dot = token.find('.');
    const auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos)
        return fail(AuthFailure::Malformed, "not a JWS compact token (header.payload.signature)");
    const std::string_view header = token.substr(0, first_dot);
    const std::string_view payload = token.substr(first_dot + 1, second_dot - first_dot - 1);
    const std::string_view signature = token.substr(second_dot + 1);
    if (!isBase64Url(header) || !isBase64Url(payload) || !isBase64Url(signature))
        return fail(AuthFailure::Malformed, "a token part is empty or not base64url");
    if (!constantTimeEquals(expectedSignature(token.substr(0, second_dot)), signature))
        return fail(AuthFailure::BadSignature, "signature does not match (wrong secret, or the token was altered)");

    // Signed by someone holding the secret: now it is safe to parse.
    Poco::JWT::Token parsed;
    try {
        parsed = Poco::JWT::Token(std::string(token));
    } catch (const Poco::Exception& error) {
        return fail(AuthFailure::Malformed, "header or payload is not base64url JSON: " + error.displayText());
    }
    if (parsed.getAlgorithm() != "HS256")
        return fail(AuthFailure::UnsupportedAlgorithm, "alg '" + parsed.getAlgorithm() + "' (only HS256 is accepted)");
    if (parsed.header().has("crit"))
        return fail(AuthFailure::Malformed, "critical header extensions are not supported");

    const Poco::JSON::Object& claims = parsed.payload();
    const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
    const double leeway = std::chrono::duration<double>(settings_.leeway).count();
    try {
        const auto exp = numericDate(claims, "exp");
        if (!exp && settings_.require_expiry) return fail(AuthFailure::MissingExpiry, "token has no exp claim");
        if (exp && now_s > *exp + leeway)
            return fail(AuthFailure::Expired, "expired " + std::to_string(std::llround(now_s - *exp)) + " s ago");
        const auto nbf = numericDate(claims, "nbf");
        if (nbf && now_s + leeway < *nbf)
            return fail(AuthFailure::NotYetValid,
                        "not valid for another " + std::to_string(std::llround(*nbf - now_s)) + " s");
    } catch (const std::invalid_argument& error) {
        return fail(AuthFailure::Malformed, error.what());
    }
    if (!settings_.issuer.empty() && stringClaim(claims, "iss") != settings_.issuer)
        return fail(AuthFailure::WrongIssuer, "iss is not '" + settings_.issuer + "'");
    if (settings_.audience.empty() && claims.has("aud"))
        return fail(AuthFailure::WrongAudience, "token names an audience but auth.audience is not set");
    if (!settings_.audience.empty() && !audienceMatches(claims, settings_.audience))
        return fail(AuthFailure::WrongAudience, "aud does not include '" + settings_.audience + "'");

    std::string claim = settings_.nick_claim;
    if (!claims.has(claim)) claim = "sub";
    if (!claims.has(claim))
        return fail(AuthFailure::MissingNick, "neither '" + settings_.nick_claim + "' nor 'sub' is in the token");
    const Poco::Dynamic::Var nick = claims.get(claim);
    if (!nick.isString() || !protocol::isValidNick(nick.extract<std::string>()))
        return fail(AuthFailure::InvalidNick,
                    "claim '" + claim + "' is not a valid nick (1-32 ASCII letters, digits, _ - .)");
    AuthResult result;
    result.nick = nick.extract<std::string>();
    result.subject = stringClaim(claims, "sub");
    std::ostringstream claims_json;  // for plugins (on_connect, session_info): the verified payload
    claims.stringify(claims_json);
    result.claims_json = std::move(claims_json).str();
    return result;
}

}  // namespace chatd::auth
