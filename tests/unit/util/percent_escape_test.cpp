#include "util/percent_escape.h"

#include <gtest/gtest.h>

namespace chatd::util {
namespace {

TEST(PercentEscape, DecodesBothCasesOfHexDigits) {
    EXPECT_EQ(percentEscapeAt("%41", 0), 'A');
    EXPECT_EQ(percentEscapeAt("a%2fb", 1), '/');
    EXPECT_EQ(percentEscapeAt("a%2Fb", 1), '/');
    EXPECT_EQ(percentEscapeAt("%00", 0), '\0');
    EXPECT_EQ(percentEscapeAt("%ff", 0), '\xff');
}

TEST(PercentEscape, RefusesWhatIsNotAnEscape) {
    EXPECT_EQ(percentEscapeAt("x41", 0), std::nullopt);     // no '%'
    EXPECT_EQ(percentEscapeAt("%4", 0), std::nullopt);      // cut short
    EXPECT_EQ(percentEscapeAt("ab%", 2), std::nullopt);     // '%' last
    EXPECT_EQ(percentEscapeAt("%g1", 0), std::nullopt);     // not hex
    EXPECT_EQ(percentEscapeAt("%1 ", 0), std::nullopt);
    EXPECT_EQ(percentEscapeAt("%41", 5), std::nullopt);     // past the end
}

}  // namespace
}  // namespace chatd::util
