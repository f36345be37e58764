// formatHttpDate and the strict three-format parseHttpDate.
#include "http/http_date.h"

#include <gtest/gtest.h>

namespace chatd::http {
namespace {

constexpr std::time_t kNov2023 = 1700000000;    // Tue, 14 Nov 2023 22:13:20 GMT
constexpr std::time_t kRfcExample = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(HttpDate, FormatsImfFixdate) {
    EXPECT_EQ(formatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(formatHttpDate(kNov2023), "Tue, 14 Nov 2023 22:13:20 GMT");
    EXPECT_EQ(formatHttpDate(kRfcExample), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(HttpDate, ParsesTheThreeFormatsOfRfc9110) {
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcExample);
    EXPECT_EQ(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), kRfcExample);
    EXPECT_EQ(parseHttpDate("Sun Nov  6 08:49:37 1994"), kRfcExample);
    EXPECT_EQ(parseHttpDate("Tue Nov 14 22:13:20 2023"), kNov2023);
    EXPECT_EQ(parseHttpDate("Tuesday, 14-Nov-23 22:13:20 GMT"), kNov2023);
}

TEST(HttpDate, RoundTripsWhatItFormats) {
    for (std::time_t t : {std::time_t{0}, kRfcExample, kNov2023, std::time_t{951782400} /* 29 Feb 2000 */,
                          std::time_t{4102444799} /* 31 Dec 2099 23:59:59 */}) {
        EXPECT_EQ(parseHttpDate(formatHttpDate(t)), t) << formatHttpDate(t);
    }
}

TEST(HttpDate, RejectsWhatPocosParserWouldAccept) {
    EXPECT_EQ(parseHttpDate("garbage"), std::nullopt);
    EXPECT_EQ(parseHttpDate(""), std::nullopt);
    EXPECT_EQ(parseHttpDate("Tue, 14 Nov 2023"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Tuesday, 14-Nov-23 22:13:20"), std::nullopt);
    EXPECT_EQ(parseHttpDate("1700000000"), std::nullopt);
}

TEST(HttpDate, RejectsMalformedFields) {
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT "), std::nullopt);  // trailing byte
    EXPECT_EQ(parseHttpDate(" Sun, 06 Nov 1994 08:49:37 GMT"), std::nullopt);  // leading byte
    EXPECT_EQ(parseHttpDate("Sun, 6 Nov 1994 08:49:37 GMT"), std::nullopt);    // one-digit day
    EXPECT_EQ(parseHttpDate("Sun, 06 nov 1994 08:49:37 GMT"), std::nullopt);   // month case
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 94 08:49:37 GMT"), std::nullopt);     // two-digit year
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC"), std::nullopt);   // zone must be GMT
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 8:49:37 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Xyz, 06 Nov 1994 08:49:37 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Sun Nov 6 08:49:37 1994"), std::nullopt);  // asctime needs the pad
}

TEST(HttpDate, RejectsOutOfRangeValues) {
    EXPECT_EQ(parseHttpDate("Sun, 31 Nov 1994 08:49:37 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Sun, 29 Feb 1995 08:49:37 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Sun, 00 Nov 1994 08:49:37 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 24:00:00 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:60:00 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:61 GMT"), std::nullopt);
    EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:60 GMT"), kRfcExample + 23);  // leap second
}

TEST(HttpDate, Rfc850TwoDigitYearPivot) {
    EXPECT_EQ(parseHttpDate("Thursday, 01-Jan-70 00:00:00 GMT"), 0);
    EXPECT_EQ(parseHttpDate("Wednesday, 31-Dec-69 23:59:59 GMT"), std::time_t{3155759999});  // 2069
}

}  // namespace
}  // namespace chatd::http
