// The auth section as the token checker gets it, and the address lists
// admission uses (server/security.h).
#include "server/security.h"

#include <gtest/gtest.h>

#include "../http/fake_http.h"
#include "auth/jwt_verifier.h"
#include "limits/limit_events.h"
#include "metrics/daemon_metrics.h"
#include "metrics/registry.h"

namespace chatd::server {
namespace {

using namespace std::chrono_literals;

TEST(JwtSettingsOf, KeepsEveryFieldAndTheLeewayToTheMillisecond) {
    config::AuthConfig auth;
    auth.secret = "0123456789abcdef0123456789abcdef";
    auth.issuer = "https://www.example.org";
    auth.audience = "chatd";
    auth.nick_claim = "name";
    auth.leeway = 1500ms;
    const auth::JwtSettings settings = jwtSettingsOf(auth);
    EXPECT_EQ(settings.secret, auth.secret);
    EXPECT_EQ(settings.issuer, auth.issuer);
    EXPECT_EQ(settings.audience, auth.audience);
    EXPECT_EQ(settings.nick_claim, "name");
    EXPECT_EQ(settings.leeway, 1500ms);  // not cut to 1 s
    auth.leeway = 999ms;
    EXPECT_EQ(jwtSettingsOf(auth).leeway, 999ms);  // not cut to 0
}

// limits.exempt_addresses and trusted_proxies are parsed when the config is
// taken up (start, reload), not from the config each upgrade passes along.
TEST(SecurityAdmit, UsesTheAddressListsOfTheLastConfigure) {
    metrics::Registry registry;
    metrics::DaemonMetrics metrics(registry);
    limits::LimitEvents limit_events;
    Security security(metrics, limit_events);
    auto slots = std::make_shared<net::ConnectionSlots>();
    http::test::RecordingResponse response;
    const http::test::FakeRequest request("GET", "/ws", response);  // from 127.0.0.1

    config::Config counted;
    counted.limits.exempt_addresses = {};
    counted.limits.max_connections_per_address = 1;
    config::Config exempt = counted;
    exempt.limits.exempt_addresses = {"127.0.0.0/8"};

    security.configure(counted);
    const Admission first = security.admit(request, exempt, *slots, chat::Mode::Json);
    EXPECT_TRUE(first.admitted());
    const Admission second = security.admit(request, exempt, *slots, chat::Mode::Json);
    EXPECT_EQ(second.outcome, "connections_per_address") << "the lists came from admit's config, not configure()";

    security.configure(exempt);  // a reload
    EXPECT_TRUE(security.admit(request, counted, *slots, chat::Mode::Json).admitted());
}

}  // namespace
}  // namespace chatd::server
