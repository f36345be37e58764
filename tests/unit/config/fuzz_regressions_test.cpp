// Inputs the config_loader fuzzer found (tests/fuzz/regressions/config_loader/),
// replayed without clang: each once hung the loader (yaml-cpp 0.7's LoadAll
// loops forever on a ',' at document level) and must now give one error.
#include <string>

#include <gtest/gtest.h>

#include "test_helpers.h"

namespace chatd::config {
namespace {

using test::onlyError;

TEST(FuzzRegressions, LoneCommaIsASyntaxError) {
    EXPECT_EQ(onlyError(",").format(),
              "test.yaml:1:1: YAML syntax error: a ',' outside of a [list] or {mapping} (quote it: ',')");
}

TEST(FuzzRegressions, CommaBeforeOtherBytesIsASyntaxError) {
    EXPECT_EQ(onlyError(std::string(",\xd7", 2)).format(),
              "test.yaml:1:1: YAML syntax error: a ',' outside of a [list] or {mapping} (quote it: ',')");
}

TEST(FuzzRegressions, CommaAfterAMappingIsASyntaxError) {
    EXPECT_EQ(onlyError("log: {level: info}\n,\n").format(), "test.yaml:2:1: YAML syntax error: end of map not found");
}

TEST(FuzzRegressions, CommaAsASecondDocumentIsASyntaxError) {
    EXPECT_EQ(onlyError("a: 1\n---\n,").format(),
              "test.yaml:3:1: YAML syntax error: a ',' outside of a [list] or {mapping} (quote it: ',')");
}

TEST(FuzzRegressions, ManyDocumentsStopAtTheSecond) {
    std::string yaml = "a: 1\n";
    for (int i = 0; i < 10000; ++i) yaml += "---\n,\n";
    EXPECT_EQ(onlyError(yaml).format(),
              "test.yaml:3:1: YAML syntax error: a ',' outside of a [list] or {mapping} (quote it: ',')");
}

TEST(FuzzRegressions, CommaInsideFlowCollectionsStillWorks) {
    EXPECT_EQ(test::loadValid("websocket: {allowed_origins: ['https://a.example', 'https://b.example']}\n")
                  .websocket.allowed_origins.size(),
              2u);
}

}  // namespace
}  // namespace chatd::config
