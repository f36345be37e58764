// Tests of the close-code rules (which codes may appear in a close frame).
#include "ws/opcode.h"

#include <initializer_list>
#include <gtest/gtest.h>

namespace chatd::ws {
namespace {

TEST(CloseCode, RegisteredCodesAreValidOnWire) {
    for (std::uint16_t code : std::initializer_list<std::uint16_t>{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014}) {
        EXPECT_TRUE(isValidCloseCodeOnWire(code)) << code;
    }
}

TEST(CloseCode, ReservedCodesAreInvalidOnWire) {
    for (std::uint16_t code : std::initializer_list<std::uint16_t>{1004, 1005, 1006, 1015}) {
        EXPECT_FALSE(isValidCloseCodeOnWire(code)) << code;
    }
}

TEST(CloseCode, ApplicationRangeBoundaries) {
    EXPECT_FALSE(isValidCloseCodeOnWire(0));
    EXPECT_FALSE(isValidCloseCodeOnWire(999));
    EXPECT_FALSE(isValidCloseCodeOnWire(1016));
    EXPECT_FALSE(isValidCloseCodeOnWire(2999));
    EXPECT_TRUE(isValidCloseCodeOnWire(3000));
    EXPECT_TRUE(isValidCloseCodeOnWire(4999));
    EXPECT_FALSE(isValidCloseCodeOnWire(5000));
    EXPECT_FALSE(isValidCloseCodeOnWire(65535));
}

TEST(CloseCode, NamedConstantsMatchRfc) {
    EXPECT_EQ(close_code::Normal, 1000);
    EXPECT_EQ(close_code::GoingAway, 1001);
    EXPECT_EQ(close_code::ProtocolError, 1002);
    EXPECT_EQ(close_code::Unsupported, 1003);
    EXPECT_EQ(close_code::NoStatus, 1005);
    EXPECT_EQ(close_code::Abnormal, 1006);
    EXPECT_EQ(close_code::InvalidPayload, 1007);
    EXPECT_EQ(close_code::PolicyViolation, 1008);
    EXPECT_EQ(close_code::TooBig, 1009);
    EXPECT_EQ(close_code::InternalError, 1011);
}

TEST(Opcode, ControlOpcodes) {
    EXPECT_TRUE(isControl(Opcode::Close));
    EXPECT_TRUE(isControl(Opcode::Ping));
    EXPECT_TRUE(isControl(Opcode::Pong));
    EXPECT_FALSE(isControl(Opcode::Continuation));
    EXPECT_FALSE(isControl(Opcode::Text));
    EXPECT_FALSE(isControl(Opcode::Binary));
}

}  // namespace
}  // namespace chatd::ws
