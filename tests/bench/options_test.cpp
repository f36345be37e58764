// Option parsing: the happy paths and every error message.
#include "options.h"

#include <gtest/gtest.h>

namespace chatd::bench {
namespace {

std::variant<Options, UsageError, HelpRequested> parse(std::vector<std::string> args) {
    args.insert(args.begin(), "chatd-bench");
    return parseOptions(args);
}

Options ok(std::vector<std::string> args) {
    auto result = parse(std::move(args));
    if (auto* error = std::get_if<UsageError>(&result)) ADD_FAILURE() << error->message;
    return std::holds_alternative<Options>(result) ? std::get<Options>(result) : Options{};
}

std::string error(std::vector<std::string> args) {
    auto result = parse(std::move(args));
    if (auto* e = std::get_if<UsageError>(&result)) return e->message;
    ADD_FAILURE() << "expected a usage error";
    return "";
}

TEST(Options, BroadcastOpenLoopWithBothSpellings) {
    const Options o = ok({"broadcast", "--port", "8080", "--clients=1000", "--senders", "10", "--rate", "2.5",
                          "--protocol", "json", "--size", "128", "--duration", "3", "--server-pid", "1", "--json",
                          "--quiet", "--threads", "3", "--sources", "4", "--path", "/ws"});
    EXPECT_EQ(o.mode, Mode::Broadcast);
    EXPECT_EQ(o.port, 8080);
    EXPECT_EQ(o.clients, 1000u);
    EXPECT_EQ(o.senders, 10u);
    EXPECT_DOUBLE_EQ(o.rate, 2.5);
    EXPECT_EQ(o.window, 0u);
    EXPECT_EQ(o.protocol, Protocol::Json);
    EXPECT_EQ(o.size, 128u);
    EXPECT_DOUBLE_EQ(o.duration_s, 3);
    ASSERT_TRUE(o.server_pid);
    EXPECT_EQ(*o.server_pid, 1);
    EXPECT_TRUE(o.json);
    EXPECT_FALSE(o.progress);
    EXPECT_EQ(o.threads, 3u);
    EXPECT_EQ(o.sources, 4u);
    EXPECT_EQ(o.path, "/ws");
}

TEST(Options, ClosedLoopAndOtherModes) {
    EXPECT_EQ(ok({"broadcast", "--port", "1", "--window", "4"}).window, 4u);
    EXPECT_EQ(ok({"idle", "--port", "1", "--clients", "5"}).mode, Mode::Idle);
    EXPECT_EQ(ok({"connect", "--port", "1", "--duration", "2"}).mode, Mode::Connect);
}

TEST(Options, ASecondPortIsOptional) {
    EXPECT_EQ(ok({"broadcast", "--port", "1", "--window", "4"}).port2, 0);
    EXPECT_EQ(ok({"broadcast", "--port", "1", "--port2", "2", "--window", "4"}).port2, 2);
    EXPECT_EQ(error({"idle", "--port", "1", "--port2", "0"}), "--port2: 0 is out of range 1..65535");
}

TEST(Options, HelpWins) { EXPECT_TRUE(std::holds_alternative<HelpRequested>(parse({"broadcast", "--help"}))); }

TEST(Options, EveryErrorNamesTheProblem) {
    EXPECT_EQ(error({}), "no mode given (expected broadcast, idle, connect or bigroom)");
    EXPECT_EQ(error({"flood", "--port", "1"}), "unknown mode 'flood' (expected broadcast, idle, connect or bigroom)");
    EXPECT_EQ(error({"idle", "idle"}), "unexpected argument 'idle'");
    EXPECT_EQ(error({"idle", "--clients", "5"}), "--port is required");
    EXPECT_EQ(error({"idle", "--port", "0"}), "--port: 0 is out of range 1..65535");
    EXPECT_EQ(error({"idle", "--port", "70000"}), "--port: 70000 is out of range 1..65535");
    EXPECT_EQ(error({"idle", "--port", "80x"}), "--port: expected a whole number, got '80x'");
    EXPECT_EQ(error({"idle", "--port", "-1"}), "--port: expected a whole number, got '-1'");
    EXPECT_EQ(error({"idle", "--port"}), "--port needs a value");
    EXPECT_EQ(error({"idle", "--port", "1", "--port", "2"}), "--port given twice");
    EXPECT_EQ(error({"idle", "--port", "1", "--bogus"}), "unknown option --bogus");
    EXPECT_EQ(error({"idle", "--port", "1", "--json=yes"}), "--json takes no value");
    EXPECT_EQ(error({"idle", "--port", "1", "--protocol", "xml"}), "--protocol: expected raw or json, got 'xml'");
    EXPECT_EQ(error({"idle", "--port", "1", "--path", "ws"}), "--path: must start with '/', got 'ws'");
    EXPECT_EQ(error({"idle", "--port", "1", "--clients", "0"}), "--clients: 0 is out of range 1..1000000");
    EXPECT_EQ(error({"idle", "--port", "1", "--rate", "5"}), "--rate does not apply to mode idle");
    EXPECT_EQ(error({"connect", "--port", "1", "--window", "5"}), "--window does not apply to mode connect");
    EXPECT_EQ(error({"idle", "--port", "1", "--duration", "5"}), "--duration does not apply to mode idle");
    EXPECT_EQ(error({"broadcast", "--port", "1"}), "broadcast needs --rate R (open loop) or --window W (closed loop)");
    EXPECT_EQ(error({"broadcast", "--port", "1", "--rate", "1", "--window", "1"}),
              "--rate (open loop) and --window (closed loop) exclude each other");
    EXPECT_EQ(error({"broadcast", "--port", "1", "--rate", "0"}), "--rate: 0 is out of range 0.001000..10000000.000000");
    EXPECT_EQ(error({"broadcast", "--port", "1", "--rate", "nan"}), "--rate: expected a number, got 'nan'");
    EXPECT_EQ(error({"broadcast", "--port", "1", "--rate", "1", "--size", "31"}),
              "--size: 31 is out of range 32..16777216");
    EXPECT_EQ(error({"broadcast", "--port", "1", "--rate", "1", "--clients", "3", "--senders", "4"}),
              "--senders 4 exceeds --clients 3 (senders are among the clients)");
}

TEST(Options, BigroomSpeaksJsonAndChatsAtOneMessageASecondByDefault) {
    const Options o = ok({"bigroom", "--port", "1", "--clients", "19000", "--senders", "1000", "--duration", "30"});
    EXPECT_EQ(o.mode, Mode::Bigroom);
    EXPECT_EQ(o.protocol, Protocol::Json);
    EXPECT_DOUBLE_EQ(o.rate, 1);
    EXPECT_EQ(o.room, "bench");
    EXPECT_EQ(o.churners, 0u);
    EXPECT_EQ(o.flooders, 0u);
    EXPECT_EQ(totalClients(o), 19000u);
    EXPECT_STREQ(modeName(o.mode), "bigroom");
}

TEST(Options, BigroomChurnersAndFloodersComeOnTopOfTheMembers) {
    const Options o = ok({"bigroom", "--port", "1", "--clients", "1000", "--senders", "1000", "--churners", "1000",
                          "--churn", "200", "--flooders", "50", "--flood-rooms", "5", "--room", "big#1", "--rate", "2"});
    EXPECT_EQ(o.churners, 1000u);
    EXPECT_DOUBLE_EQ(o.churn_rate, 200);
    EXPECT_EQ(o.flooders, 50u);
    EXPECT_EQ(o.flood_rooms, 5u);
    EXPECT_EQ(o.room, "big#1");
    EXPECT_DOUBLE_EQ(o.rate, 2);
    EXPECT_EQ(totalClients(o), 2050u);
    EXPECT_EQ(ok({"broadcast", "--port", "1", "--rate", "1", "--protocol", "json", "--room", "r"}).room, "r");
}

TEST(Options, BigroomErrorsNameTheProblem) {
    EXPECT_EQ(error({"bigroom", "--port", "1", "--protocol", "raw"}), "bigroom speaks chatd.v1: --protocol must be json");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--churners", "5"}), "--churners K and --churn RATE go together");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--churn", "5"}), "--churners K and --churn RATE go together");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--flood-rooms", "2"}), "--flood-rooms needs --flooders");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--flooders", "2", "--flood-rooms", "3"}),
              "--flood-rooms 3 exceeds --flooders 2");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--window", "2"}), "--window does not apply to mode bigroom");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--clients", "3", "--senders", "4"}),
              "--senders 4 exceeds --clients 3 (senders are among the clients)");
    EXPECT_EQ(error({"broadcast", "--port", "1", "--rate", "1", "--churners", "1"}),
              "--churners does not apply to mode broadcast");
    EXPECT_EQ(error({"broadcast", "--port", "1", "--rate", "1", "--room", "r"}),
              "--room needs --protocol json (raw clients are in the server's default room)");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--room", "a b"}),
              "--room: expected 1-64 letters, digits, _ - . #, got 'a b'");
    EXPECT_EQ(error({"bigroom", "--port", "1", "--churners", "1", "--churn", "0"}),
              "--churn: 0 is out of range 0.001000..1000000.000000");
}

TEST(Options, UsageMentionsEveryOption) {
    const std::string usage = usageText();
    for (const char* option : {"--host", "--port", "--path", "--server-pid", "--clients", "--protocol", "--sources",
                               "--connect-concurrency", "--setup-timeout", "--senders", "--rate", "--window",
                               "--size", "--duration", "--drain", "--threads", "--json", "--quiet", "--help", "--room",
                               "--churners", "--churn", "--flooders", "--flood-rooms", "bigroom"})
        EXPECT_NE(usage.find(option), std::string::npos) << option;
}

}  // namespace
}  // namespace chatd::bench
