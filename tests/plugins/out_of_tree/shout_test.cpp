// shout's unit test against the installed fake host (plain checks, exit 1 on
// the first failure).
#include <cstdio>
#include <cstdlib>

#include <chatd/testing/fake_host.hpp>

#include "shout.hpp"

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
            return EXIT_FAILURE;                                            \
        }                                                                   \
    } while (0)

int main() {
    auto host = chatd::sdk::testing::FakeHost::of<Shout>("shout");
    CHECK(!host.tryInit("suffix: '?'").has_value());
    const auto out = host.send("hello there");
    CHECK(out.passed());
    CHECK(out.text == "HELLO THERE?");
    CHECK(host.tryInit("sufix: x").value_or("") == "unknown key 'sufix' (known keys: suffix)");
    std::puts("shout_test: ok");
    return EXIT_SUCCESS;
}
